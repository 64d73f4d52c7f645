"""End to end: keys typed in one burst after `/` or `t` reach the search box or the tag dialog.

A burst (a fast typist, a laggy SSH link) used to be read whole before `/` had moved the focus:
the letters after it ran as list keys (`l` set a paper to "later", `t` opened the tag dialog,
`n` the note editor). Each burst here is one `send-keys`, so the app reads it in one go.
"""

from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path

from tests.test_e2e_tmux import Tmux, corpus, search_has_focus  # noqa: F401 (a fixture)


def search_line(screen: str) -> str:
    """What the search box holds: the first line, left of the sort label."""
    return screen.splitlines()[0].split("sort:")[0].strip()


def test_bursts_after_slash_and_t_go_to_the_search_box_and_the_dialog(
    corpus: Path,  # noqa: F811 (the fixture)
    tmp_path: Path,
) -> None:
    tmux = Tmux(tmp_path)
    try:
        tmux.start_paperdeck(corpus, tmp_path)

        tmux.run("send-keys", "-t", tmux.session, "/", *"later")
        screen = tmux.wait_for(
            "the query in the focused box",
            lambda s: search_line(s) == "later" and search_has_focus(s),
        )
        assert "Tags of" not in screen
        tmux.keys("Escape")
        tmux.wait_for(
            "the list back", lambda s: "187 papers · All" in s and "Search:" in search_line(s)
        )

        tmux.run("send-keys", "-t", tmux.session, "t", *"abc", "Enter")
        tmux.wait_for("the new tag", lambda s: "#abc" in s and "Tags of" not in s)

        # `t` right after `j`s: on the paper they moved to (two down), not the one they left.
        tmux.run("send-keys", "-t", tmux.session, "j", "j", "t", *"abc", "Enter")
        tmux.wait_for(
            "two papers tagged",
            lambda s: re.search(r"#abc +2\b", s) is not None and "Tags of" not in s,
        )

        tmux.run("send-keys", "-t", tmux.session, "/", *"eulerian", "Enter")
        screen = tmux.wait_for("the Eulerian paper", lambda s: "1 match ·" in s and "GraphGPT" in s)
        assert search_line(screen) == "eulerian" and "Note on" not in screen
        time.sleep(0.3)  # a key run on the list would show by now

        tmux.keys("q")
        status = tmux.wait_for_exit()
        assert status in ("0", None), f"paperdeck exited with {status}:\n{tmux.screen()}"
    finally:
        tmux.kill()

    files = list((corpus / "notes").glob("*.toml"))
    assert len(files) == 2, [file.name for file in files]  # the tagged papers', no other
    for file in files:
        notes = tomllib.loads(file.read_text(encoding="utf-8"))
        assert notes["tags"] == ["abc"]
        assert notes.get("status", "unread") == "unread" and not notes.get("note")
