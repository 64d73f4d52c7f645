"""Command palette entries: every action of the current screen, plus sorts and views."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from paperdeck.sorting import SORTS


class PaperdeckCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for _, binding, enabled, _tooltip in screen.active_bindings.values():
            if enabled and binding.description:
                commands.append(
                    (binding.description, binding.action, partial(self._run, binding.action))
                )
        set_sort = getattr(screen, "set_sort", None)
        if set_sort is not None:
            for sort in ("relevance", *SORTS[1:]):
                commands.append((f"Sort by {sort}", sort, partial(set_sort, sort)))
        return commands

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
