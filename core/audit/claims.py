"""Claims: "this reconciliation journal is being worked by anna" (``core.audit.models.Claim``).

A clerk's app session claims a shared thing (``reconjournal:7``) when it opens it, renews
the claim on a timer (the heartbeat) and releases it on close. Another session that asks
for it is told who holds it and since when, and gets it read-only; write actions of the
reconciliation service refuse to change a journal claimed by another live session
(``ensure_not_claimed``), inside their own transaction.

A claim is *expired*, and free for anyone to take, when

- its heartbeat is older than its TTL (``expires_at`` passed): the holder crashed, the
  SSH connection dropped, the laptop went to sleep; or
- it was taken on this host by a process that no longer exists: a crash on the server
  all clerks SSH into frees the journal at once instead of after the TTL.

``claim(..., take_over=True)`` takes a live claim too (after the clerk confirmed): every
decision on a journal is saved at once, so the previous holder loses nothing but the
right to write; their next heartbeat or write tells them who took over.

Atomicity: one write transaction does ``INSERT ... ON CONFLICT DO NOTHING`` and then
reads the row ``FOR UPDATE``. On SQLite the write transaction (``BEGIN IMMEDIATE``)
serializes claimers; on PostgreSQL a second claimer's insert waits for the first one's
uncommitted row, and its ``SELECT ... FOR UPDATE`` then sees the committed winner, so
two sessions can never both believe they hold the claim.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from core.audit.models import Claim
from core.i18n import _
from core.kernel.errors import ConflictError
from core.kernel.store import Clock, Store, utc_now
from core.kernel.users import os_user

# The TUI renews every 20 s; a claim lives 90 s past its last heartbeat. 90 s tolerates
# three missed heartbeats (a renew that waits out a 15 s SQLite busy timeout behind a long
# posting, a network hiccup) and still frees the journal of a crashed remote session
# within a minute and a half; on the same host a dead process frees it at once.
DEFAULT_TTL = 90
HEARTBEAT_EVERY = 20



def _upsert_insert(dialect: str) -> Any:
    """The INSERT with ON CONFLICT of the database in use (``postgresql`` or ``sqlite``),
    imported by name: the PostgreSQL dialect takes a tenth of a second to import, for
    nothing on SQLite (the engine already loaded the dialect it uses)."""
    return importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert

class ClaimedError(ConflictError):
    """The thing is being worked by another clerk's live session."""


def this_host() -> str:
    return socket.gethostname()[:100]


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    except OSError:
        return False
    return True


def journal_resource(journal_id: int) -> str:
    return f"reconjournal:{journal_id}"


def _aware(moment: datetime) -> datetime:
    """Aware UTC (the columns store UTC; a naive value is taken as UTC)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def clock_text(moment: datetime, now: datetime | None = None) -> str:
    """``10:40`` in local time; with the date when it is not today."""
    local = _aware(moment).astimezone()
    today = (_aware(now) if now else datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M") if local.date() == today \
        else local.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ClaimView:
    """Who holds a claim (times are aware UTC)."""

    resource: str
    holder: str
    host: str
    pid: int
    token: str
    claimed_at: datetime
    heartbeat_at: datetime
    expires_at: datetime

    def describe(self, now: datetime | None = None) -> str:
        """``anna (host, since 10:40)``."""
        where = f"{self.host}, " if self.host else ""
        return _("{holder} ({where}since {time})").format(
            holder=self.holder, where=where, time=clock_text(self.claimed_at, now))

    def silent_for(self, now: datetime) -> timedelta:
        """How long since the holder's last heartbeat."""
        return _aware(now) - self.heartbeat_at


@dataclass(frozen=True)
class ClaimResult:
    """``ok``: the caller holds the claim now (``claim`` is theirs); else ``claim`` is the
    holder's and ``message`` says who. ``taken_from``: the claim replaced (expired or
    taken over), for telling the clerk."""

    ok: bool
    claim: ClaimView | None
    message: str = ""
    taken_from: ClaimView | None = None


def _view(row: Claim) -> ClaimView:
    return ClaimView(row.resource, row.holder, row.host, row.pid, row.token,
                     _aware(row.claimed_at), _aware(row.heartbeat_at), _aware(row.expires_at))


def is_expired(row: Claim | ClaimView, now: datetime, host: str | None = None,
               alive: Callable[[int], bool] = pid_alive) -> bool:
    """Heartbeat older than the TTL, or taken on this host by a process that is gone."""
    if _aware(now) >= _aware(row.expires_at):
        return True
    host = this_host() if host is None else host
    return bool(row.host) and row.host == host and row.pid != os.getpid() \
        and not alive(row.pid)


def taken_message(what: str, holder: ClaimView, now: datetime | None = None) -> str:
    return _("{what} is being worked by {holder}").format(what=what, holder=holder.describe(now))


def ensure_not_claimed(s: Session, resource: str, token: str | None, now: datetime,
                       what: str = "") -> None:
    """Inside a write transaction: refuse (``ClaimedError``) when another live session
    holds ``resource``. The row is read ``FOR SHARE`` so a takeover waits for this
    transaction to end."""
    row = s.exec(select(Claim).where(Claim.resource == resource)
                 .with_for_update(read=True)).first()
    if row is None or (token is not None and row.token == token) or is_expired(row, now):
        return
    raise ClaimedError(taken_message(what or resource, _view(row), now)
                       + _("; it is read-only for you until they close it."))


class ClaimService:
    """Claims of one app session (``token``) of one clerk on one host."""

    def __init__(self, store: Store, user: str | None = None, host: str | None = None,
                 pid: int | None = None, clock: Clock = utc_now,
                 alive: Callable[[int], bool] = pid_alive) -> None:
        self.store = store
        self.user = user or os_user()
        self.host = this_host() if host is None else host
        self.pid = os.getpid() if pid is None else pid
        self.clock = clock
        self.alive = alive

    def _expired(self, row: Claim, now: datetime) -> bool:
        return is_expired(row, now, self.host, self.alive)

    def claim(self, resource: str, token: str, ttl: int = DEFAULT_TTL, *,
              take_over: bool = False, what: str = "") -> ClaimResult:
        """Take ``resource`` for session ``token`` (or refresh it when it is ours). A claim
        of another session is taken when it expired, or with ``take_over``."""
        what = what or resource
        now = self.clock()
        stamp = _aware(now)
        expires = stamp + timedelta(seconds=ttl)
        values: dict[str, object] = {
            "resource": resource, "holder": self.user[:100], "host": self.host,
            "pid": self.pid, "token": token, "claimed_at": stamp, "heartbeat_at": stamp,
            "expires_at": expires}
        with self.store.write(posting=False) as s:  # a claim, no posting
            insert = _upsert_insert(s.get_bind().dialect.name)
            s.execute(insert(Claim).values(**values)
                      .on_conflict_do_nothing(index_elements=["resource"]))
            row = s.exec(select(Claim).where(Claim.resource == resource).with_for_update()
                         .execution_options(populate_existing=True)).one()
            if row.token == token:
                row.heartbeat_at, row.expires_at = stamp, expires
                row.holder, row.host, row.pid = self.user[:100], self.host, self.pid
                s.add(row)
                return ClaimResult(True, _view(row))
            if not (take_over or self._expired(row, now)):
                holder = _view(row)
                return ClaimResult(False, holder, taken_message(what, holder, now))
            before = _view(row)
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            s.flush()
            return ClaimResult(True, _view(row), taken_from=before)

    def renew(self, resource: str, token: str, ttl: int = DEFAULT_TTL, *,
              what: str = "") -> ClaimResult:
        """The heartbeat: extend our claim. Not ok when another session took it over
        meanwhile (the message names them); a claim that lapsed but is still free is
        simply taken again."""
        return self.claim(resource, token, ttl, what=what)

    def release(self, resource: str, token: str) -> bool:
        """Give the claim up (only our own). False when it was not ours (any more)."""
        with self.store.write(posting=False) as s:  # a claim, no posting
            row = s.exec(select(Claim).where(Claim.resource == resource,
                                             Claim.token == token).with_for_update()).first()
            if row is None:
                return False
            s.delete(row)
            return True

    def release_all(self, token: str) -> int:
        """Give up every claim of session ``token`` (the app is closing)."""
        with self.store.write(posting=False) as s:  # a claim, no posting
            rows = s.exec(select(Claim).where(Claim.token == token)).all()
            for row in rows:
                s.delete(row)
            return len(rows)

    def who_holds(self, resource: str) -> ClaimView | None:
        """The live claim on ``resource`` (None: free, or the claim expired)."""
        with self.store.read() as s:
            row = s.exec(select(Claim).where(Claim.resource == resource)).first()
            if row is None or self._expired(row, self.clock()):
                return None
            return _view(row)

    def claims(self, prefix: str = "") -> list[ClaimView]:
        """Live claims (whose resource starts with ``prefix``)."""
        now = self.clock()
        with self.store.read() as s:
            rows = s.exec(select(Claim).where(col(Claim.resource).startswith(prefix))
                          .order_by(col(Claim.resource))).all()
            return [_view(r) for r in rows if not self._expired(r, now)]

    @contextmanager
    def hold(self, resource: str, token: str, *, what: str = "", ttl: int = DEFAULT_TTL,
             every: float | None = HEARTBEAT_EVERY, take_over: bool = False
             ) -> Iterator[ClaimResult]:
        """Hold ``resource`` for a block (a command line run): claim or raise
        ``ClaimedError``, renew every ``every`` seconds in a daemon thread, release at
        the end."""
        result = self.claim(resource, token, ttl, take_over=take_over, what=what)
        if not result.ok:
            raise ClaimedError(result.message + _("; try again when they are done."))
        stop = threading.Event()
        beat: threading.Thread | None = None
        if every:
            def renew_until_stopped() -> None:
                while not stop.wait(every):
                    try:
                        self.renew(resource, token, ttl, what=what)
                    except Exception:  # the next beat tries again
                        continue

            beat = threading.Thread(target=renew_until_stopped, daemon=True,
                                    name=f"claim-{resource}")
            beat.start()
        try:
            yield result
        finally:
            stop.set()
            if beat is not None:
                beat.join(5)
            self.release(resource, token)
