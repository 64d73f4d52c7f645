"""`python -m paperdeck.mergedriver BASE OURS THEIRS [PATH]`: the command `paperdeck git-setup`
writes into each clone's git config, so it must keep working in clones set up by any earlier
paperdeck. The driver itself lives in `paperdeck.sync.mergedriver`; this only delegates.
"""

from __future__ import annotations

import sys

from paperdeck.sync.mergedriver import main, merge_notes_files

__all__ = ["main", "merge_notes_files"]

if __name__ == "__main__":
    sys.exit(main())
