"""Git around the data folder: find the repository that holds it."""

from __future__ import annotations

from pathlib import Path


def find_git_root(start: Path) -> Path | None:
    """The top of the git work tree containing `start`, if any (no git process run)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None
