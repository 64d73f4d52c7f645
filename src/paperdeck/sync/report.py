"""What a sync did and what it could not do, in words a person reads: the report, and git's
errors about a remote explained with what to do (never showing a password in an address)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from paperdeck.sync.repo import GitError, Repo

_AUTH = (
    "authentication failed",
    "permission denied",
    "could not read username",
    "terminal prompts disabled",
    "host key verification failed",
)


@dataclass
class SyncReport:
    """What `sync` did and what it could not do. `ok`: nothing needs a person."""

    mode: str
    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    committed: str | None = None  # the commit message's subject
    pulled: bool = False
    pushed: bool = False
    changed_papers: list[str] = field(default_factory=list)  # notes changed from elsewhere
    clashes: list[str] = field(default_factory=list)  # paper IDs whose notes hold markers
    unresolved: list[str] = field(default_factory=list)  # files git still lists as conflicted
    unresolved_papers: list[str] = field(default_factory=list)  # IDs among them (notes files)
    skipped: list[str] = field(default_factory=list)  # notes files not committed (unreadable)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unresolved

    def lines(self) -> list[str]:
        out = list(self.done)
        if self.changed_papers:
            out.append(f"notes changed elsewhere: {', '.join(self.changed_papers)}")
        if self.clashes:
            out.append(
                "notes with both versions kept between <<<<<<< and >>>>>>> (edit the "
                f"note to keep what you want): {', '.join(self.clashes)}"
            )
        for item in self.skipped:
            out.append(f"not committed, cannot be read: {item}")
        if self.unresolved_papers:
            out.append(
                "notes files git could not merge because one version cannot be read (in "
                "the app press c on the paper to pick a version; or `paperdeck resolve`; or "
                f"fix the file and sync again): {', '.join(self.unresolved_papers)}"
            )
        papers = {f"notes/{paper}.toml" for paper in self.unresolved_papers}
        others = [p for p in self.unresolved if not any(p.endswith(n) for n in papers)]
        if others:
            out.append(
                "git conflicts paperdeck cannot settle (fix these files, then sync "
                f"again): {', '.join(others)}"
            )
        out += [f"could not {problem}" for problem in self.problems]
        return out


def remote_problem(what: str, remote: str, error: GitError, repo: Repo) -> str:
    """git's whole message about the remote, and what the person can do about it."""
    address = _without_password(repo.run(["remote", "get-url", remote], check=False).stdout)
    where = f"'{remote}' ({address})" if address else f"'{remote}'"
    if any(word in error.stderr.lower() for word in _AUTH):
        first = (
            "; first set up an SSH key or a credential helper (paperdeck never asks for passwords)"
        )
    elif "rejected" in what:
        first = ""
    else:
        first = (
            f"; first check the address (`git remote get-url {remote}`; change it with "
            f"`git remote set-url {remote} URL`) and the network"
        )
    return (
        f"{what} {where}: git says: {error.message} "
        f"Your notes stay committed here, sync again later{first}"
    )


def _without_password(url: str) -> str:
    """A remote's address fit to show: credentials in it (`https://TOKEN@host/...`, a password)
    are never printed."""
    url = url.strip()
    parts = urlsplit(url)
    secret = parts.password is not None or (parts.scheme in ("http", "https") and parts.username)
    if not secret:
        return url
    return urlunsplit(parts._replace(netloc=f"***@{parts.netloc.rpartition('@')[2]}"))
