"""Sharing the notes through git: `sync`, and settling a notes file a sync could not merge."""

from __future__ import annotations

from paperdeck.library.core import LibraryCore, bundled_sample_corpus
from paperdeck.sync.file_clash import FileClash, find_file_clashes
from paperdeck.sync.run import SyncReport, sync


class Syncing(LibraryCore):
    """Git sync of the notes, and the notes files a sync left for a person."""

    def file_clashes(self) -> list[FileClash]:
        """Notes files a stopped sync left for a person (one side could not be read)."""
        return find_file_clashes(self.root)

    def resolve_file_clash(
        self,
        clash: FileClash,
        choice: str | None = None,
        text: str | None = None,
        mode: str = "rebase",
    ) -> tuple[SyncReport, list[str]]:
        """Write the person's choice ("mine", "theirs", "both") or their edited file `text`,
        then sync again, which stages it and finishes the rebase or merge it had stopped."""
        if (choice is None) == (text is None):
            raise ValueError("give either a choice or the edited text")
        data = clash.resolution(choice) if choice is not None else (text or "").encode("utf-8")
        with self._sync_lock:  # one git operation at a time from this process
            state = self.notes.replace_file(clash.paper_id, data, clash.current)
            paper = self.corpus.get(clash.paper_id)
            if paper is not None and self.index is not None:
                self.index.update(paper, state)
            report, changed = self.sync(mode)
        return report, sorted({clash.paper_id, *changed})

    def sync(self, mode: str = "rebase") -> tuple[SyncReport, list[str]]:
        """Commit, pull and push the notes with git; re-read what changed elsewhere.

        Returns the report and the IDs of the papers whose notes changed.
        """
        if self.root.resolve() == bundled_sample_corpus().resolve():
            report = SyncReport(mode)
            report.problems.append(
                "this is the bundled sample corpus, inside paperdeck's own repository: sync is "
                "for your own corpus folder (open it with `paperdeck FOLDER`)"
            )
            return report, []
        with self._sync_lock:  # one git operation at a time from this process
            report = sync(self.root, mode)
        ids = dict.fromkeys([*report.changed_papers, *report.clashes, *report.unresolved_papers])
        changed = self.reload_notes(self.notes.folder / f"{paper_id}.toml" for paper_id in ids)
        return report, sorted(set(changed) | set(report.changed_papers))
