"""Watching the inbox folders: pick up each completely written file, once.

The watcher scans every inbox on a timer (``interval``) and, where the file system
reports events (watchdog: inotify on Linux), as soon as something changes; polling
alone still finds every file on file systems without events (network shares). A scan
puts back files a dead watcher left half-processed, takes the files that are ready
(``folder.Settle``), claims each one atomically and hands it to ``FeedService.process``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from core.feed import folder
from core.feed.service import FeedService, FileOutcome, InboxView
from core.kernel.errors import LettrageError

log = logging.getLogger(__name__)

Report = Callable[[FileOutcome], None]


class _Wake(FileSystemEventHandler):
    def __init__(self, watcher: FeedWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        dest = getattr(event, "dest_path", "")
        if event.event_type == "moved" and dest:
            self.watcher.settle.renamed(Path(str(dest)))
        self.watcher.wake.set()


class FeedWatcher:
    """Scans the inboxes of ``service``'s company; ``run`` until ``stop`` is set, or
    ``run_once`` for cron."""

    def __init__(self, service: FeedService, *, settle: float = 1.0, interval: float = 2.0,
                 reject_grace: float = 30.0, retry_after: float = 10.0,
                 use_events: bool = True, report: Report | None = None) -> None:
        self.service = service
        self.settle = folder.Settle(settle)
        self.interval = interval
        self.reject_grace = reject_grace
        self.retry_after = retry_after
        self.use_events = use_events
        self.report = report
        self.wake = threading.Event()
        self._retry_at: dict[Path, float] = {}
        self._observer: BaseObserver | None = None
        self._watches: dict[str, ObservedWatch] = {}

    # --- one pass ---------------------------------------------------------------------

    def scan(self) -> list[FileOutcome]:
        outcomes: list[FileOutcome] = []
        inboxes = self.service.inboxes()
        self._sync_watches(inboxes)
        for inbox in inboxes:
            outcomes += self._scan_inbox(inbox)
        return outcomes

    def _scan_inbox(self, inbox: InboxView) -> list[FileOutcome]:
        directory = Path(inbox.directory)
        now = time.time()
        folder.recover(directory, now)
        out: list[FileOutcome] = []
        waiting = [p for p in folder.candidates(directory)
                   if self._retry_at.get(p, 0.0) <= now]
        for path in self.settle.ready(waiting, now):
            claimed = folder.claim(path)
            self.settle.forget(path)
            if claimed is None:  # another watcher took it
                continue
            try:
                outcome = self.service.process(inbox, claimed,
                                               defer_if_younger=self.reject_grace)
            except Exception:
                # the database is away or the like: the file goes back, nothing is lost
                if claimed.path.exists():
                    folder.release(claimed)
                raise
            if outcome.status == "deferred":
                self._retry_at[path] = now + self.retry_after
            else:
                self._retry_at.pop(path, None)
                if self.report is not None:
                    self.report(outcome)
            out.append(outcome)
        return out

    # --- run modes --------------------------------------------------------------------

    def run_once(self) -> list[FileOutcome]:
        """Process what is in the inboxes now; a file still being written is left for
        the next run (it is taken once unchanged for ``settle`` seconds)."""
        outcomes = self.scan()
        if any(folder.candidates(Path(i.directory)) for i in self.service.inboxes()):
            time.sleep(self.settle.seconds)  # a second look decides what is complete
            outcomes += self.scan()
        return [o for o in outcomes if o.status != "deferred"]

    def run(self, stop: threading.Event) -> None:
        """Watch until ``stop`` is set. A failing scan (database unreachable) is logged
        and tried again on the next tick."""
        try:
            while not stop.is_set():
                self.wake.clear()
                try:
                    self.scan()
                except LettrageError as exc:
                    log.warning("feed scan failed: %s", exc)
                except Exception:
                    log.exception("feed scan failed")
                if stop.is_set():
                    break
                self.wake.wait(self.interval)
        finally:
            self._stop_observer()

    def stop_event_wakes(self, stop: threading.Event) -> None:
        """Make ``stop.set()`` take effect at once (the loop waits on ``wake``)."""
        def relay() -> None:
            stop.wait()
            self.wake.set()
        threading.Thread(target=relay, daemon=True, name="feed-stop").start()

    # --- file system events -----------------------------------------------------------

    def _sync_watches(self, inboxes: list[InboxView]) -> None:
        if not self.use_events:
            return
        if self._observer is None:
            try:
                observer = Observer()
                observer.start()
            except Exception as exc:  # no inotify here: polling alone will do
                log.warning("file events unavailable, polling every %ss: %s",
                            self.interval, exc)
                self.use_events = False
                return
            self._observer = observer
        wanted = {i.directory for i in inboxes if Path(i.directory).is_dir()}
        for d in set(self._watches) - wanted:
            self._observer.unschedule(self._watches.pop(d))
        for d in wanted - set(self._watches):
            try:
                self._watches[d] = self._observer.schedule(_Wake(self), d, recursive=False)
            except OSError as exc:
                log.warning("cannot watch %s, polling it: %s", d, exc)

    def _stop_observer(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
            self._watches.clear()
