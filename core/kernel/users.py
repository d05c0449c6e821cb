"""Who runs this process: the clerk's login name, recorded on postings, audit entries
and claims. Its own module, so a service that only records the user does not load the
posting engine (``core.ledger.poster`` re-exports it)."""

from __future__ import annotations

import getpass


def os_user(default: str = "unknown") -> str:
    """The login name of the clerk running this process (``default`` when the
    container has no passwd entry)."""
    try:
        return getpass.getuser()
    except Exception:
        return default
