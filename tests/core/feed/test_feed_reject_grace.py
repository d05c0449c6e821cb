"""An unreadable file is tried again while it may still be being written, and rejected
once it is older than the grace period: its age is its last write, not the claim."""

from __future__ import annotations

import os
import time
from pathlib import Path

from core.feed import folder
from core.feed.service import FeedService
from core.kernel.store import Store


def test_an_old_unreadable_file_is_rejected_after_the_grace(store: Store, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    view = FeedService(store).add_inbox(inbox)
    path = inbox / "broken.xml"
    path.write_bytes(b"<Document><not-closed>")
    young = FeedService(store).process(view, folder.claim(path) or _fail(),
                                       defer_if_younger=30)
    assert young.status == "deferred" and path.exists()
    old = time.time() - 60
    os.utime(path, (old, old))  # written a minute ago
    late = FeedService(store).process(view, folder.claim(path) or _fail(),
                                      defer_if_younger=30)
    assert late.status == "rejected"
    assert "broken.xml" in late.reason
    assert (inbox / "rejected").is_dir() and not path.exists()


def _fail() -> folder.Claimed:
    raise AssertionError("the file could not be claimed")
