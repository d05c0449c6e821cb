"""FinTS accesses per bank account, and fetching their statements into the feed.

``FinTSService`` keeps one FinTS login per bank account (audited, no PIN) and runs a
fetch: the statements of the period come from the bank through ``FinTSSource`` (or any
``StatementSource`` a caller passes, e.g. EBICS later) and are delivered into the bank
account's inbox, where the watcher imports and applies them like any dropped file; a
bank account without an inbox gets them imported directly with the statement import's
rules (the same dedupe: fetching a period twice adds no line twice).
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.feed.fints_source import (
    PRODUCT_ID_ENV,
    FinTSSettings,
    FinTSSource,
    PinPrompt,
    TanPrompt,
)
from core.feed.models import FeedInbox, FinTSAccess
from core.feed.service import FeedError
from core.feed.sources import FetchedFile, StatementSource, deliver
from core.i18n import N_
from core.kernel.errors import NotFoundError
from core.kernel.store import Clock, Store, utc_now
from core.kernel.users import os_user
from core.ledger.models import BankAccount
from core.statements import parse_bytes
from core.statements.importer import StatementImportService

ENTITY = "fints_access"
FIRST_FETCH_DAYS = 30  # without an earlier fetch, the first one covers this many days

SourceFactory = Callable[[FinTSSettings, bytes | None], StatementSource]


@dataclass(frozen=True)
class FinTSView:
    id: int
    bank_account_no: str
    blz: str
    user_id: str
    server_url: str
    product_id: str
    iban: str
    last_fetch_at: str = ""
    last_fetch_until: str = ""

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "bank_account_no": self.bank_account_no, "blz": self.blz,
                "user": self.user_id, "url": self.server_url,
                "product_id": self.product_id or None, "iban": self.iban,
                "last_fetch_at": self.last_fetch_at or None,
                "last_fetch_until": self.last_fetch_until or None}


@dataclass
class FetchOutcome:
    bank_account_no: str
    since: date
    until: date
    format: str = ""
    delivered: list[str] = field(default_factory=list)  # paths written into the inbox
    imported: list[dict[str, object]] = field(default_factory=list)  # direct imports

    def as_json(self) -> dict[str, object]:
        return {"bank_account_no": self.bank_account_no, "from": self.since.isoformat(),
                "to": self.until.isoformat(), "format": self.format or None,
                "delivered": self.delivered, "imported": self.imported}


class FinTSService:
    def __init__(self, store: Store, user: str | None = None,
                 clock: Clock = utc_now) -> None:
        self.store = store
        self.user = user or os_user()
        self.clock = clock

    # --- configuration ----------------------------------------------------------------

    def accesses(self) -> list[FinTSView]:
        with self.store.read() as s:
            rows = s.exec(select(FinTSAccess).order_by(col(FinTSAccess.bank_account_no)))
            return [_view(r) for r in rows]

    def add(self, bank_account_no: str, blz: str, user_id: str, server_url: str,
            product_id: str = "", customer_id: str = "") -> FinTSView:
        blz = blz.replace(" ", "")
        if not re.fullmatch(r"\d{8}", blz):
            raise FeedError(N_("The bank code (BLZ) must be 8 digits, not '{blz}'"), blz=blz)
        if not user_id.strip():
            raise FeedError(N_("The FinTS user id (Anmeldename / Legitimations-ID) is empty"))
        url = urlparse(server_url)
        if url.scheme not in ("https", "http") or not url.netloc:
            raise FeedError(N_("'{server_url}' is not the bank's FinTS address (https://...)"),
                            server_url=server_url)
        try:
            with self.store.write() as s:
                bank = s.get(BankAccount, bank_account_no)
                if bank is None:
                    raise NotFoundError(N_("Bank account {bank_account_no} does not exist"),
                                        bank_account_no=bank_account_no)
                iban = (bank.iban or "").replace(" ", "").upper()
                if not iban:
                    raise FeedError(
                        N_(
                            "Bank account {bank_account_no} has no IBAN; FinTS "
                            "finds the account at the bank by its IBAN"
                        ),
                        bank_account_no=bank_account_no,
                    )
                if s.exec(select(FinTSAccess).where(
                        FinTSAccess.bank_account_no == bank_account_no)).first():
                    raise FeedError(N_("Bank account {bank_account_no} already has a FinTS "
                                       "access (remove it first)"), bank_account_no=bank_account_no)
                row = FinTSAccess(bank_account_no=bank_account_no, blz=blz,
                                  user_id=user_id.strip(), customer_id=customer_id.strip(),
                                  server_url=server_url, product_id=product_id.strip(),
                                  iban=iban, created_by=self.user, created_at=self.clock())
                s.add(row)
                s.flush()
                audit.record(s, user=self.user, action="create", entity=ENTITY, key=row.id,
                             changes={"bank_account_no": (None, bank_account_no),
                                      "blz": (None, blz), "user_id": (None, row.user_id),
                                      "server_url": (None, server_url)},
                             note=audit.message(N_("FinTS access for bank account {no} added"),
                                               no=bank_account_no))
                return _view(row)
        except IntegrityError:
            raise FeedError(N_("Bank account {bank_account_no} already has a FinTS access"),
                            bank_account_no=bank_account_no) from None

    def remove(self, bank_account_no: str) -> FinTSView:
        with self.store.write() as s:
            row = _find(s, bank_account_no)
            view = _view(row)
            audit.record(s, user=self.user, action="delete", entity=ENTITY, key=row.id,
                         changes={"bank_account_no": (row.bank_account_no, None),
                                  "blz": (row.blz, None), "user_id": (row.user_id, None)},
                         note=audit.message(N_("FinTS access for bank account {no} removed"),
                                           no=row.bank_account_no))
            s.delete(row)
            return view

    # --- fetching -----------------------------------------------------------------------

    def fetch(self, bank_account_no: str, since: date | None = None,
              until: date | None = None, *, pin_prompt: PinPrompt | None = None,
              tan_prompt: TanPrompt | None = None,
              source_factory: SourceFactory | None = None) -> FetchOutcome:
        """Fetch the period's statements and hand them to the feed (or import them)."""
        with self.store.read() as s:
            row = _find(s, bank_account_no)
            inbox = s.exec(select(FeedInbox).where(
                FeedInbox.bank_account_no == bank_account_no)
                .order_by(col(FeedInbox.id))).first()
            settings = _settings(row)
            state = base64.b64decode(row.client_state) if row.client_state else None
            last_until = row.last_fetch_until
        until = until or self.clock().date()
        since = since or (last_until if last_until else until - timedelta(FIRST_FETCH_DAYS))
        if since > until:
            raise FeedError(N_("The period {since} to {until} ends before it starts"), since=since,
                            until=until)
        if source_factory is not None:
            source: StatementSource = source_factory(settings, state)
        else:
            source = FinTSSource(settings, pin_prompt, tan_prompt, state)
        files = source.fetch(since, until)
        out = FetchOutcome(bank_account_no, since, until, getattr(source, "format", ""))
        if inbox is not None and Path(inbox.directory).is_dir():
            out.delivered = [str(p) for p in deliver(files, Path(inbox.directory))]
        else:
            out.imported = [self._import(f, bank_account_no) for f in files]
        self._remember(bank_account_no, until, len(files), getattr(source, "state", None))
        return out

    def _import(self, f: FetchedFile, bank_account_no: str) -> dict[str, object]:
        parsed = parse_bytes(f.data, f.name)
        result = StatementImportService(self.store, self.user, self.clock).import_(
            parsed, bank_account_no)
        return {"file": f.name, "lines_new": result.imported,
                "lines_duplicate": result.duplicates, "message": result.message}

    def _remember(self, bank_account_no: str, until: date, files: int,
                  state: bytes | None) -> None:
        with self.store.write() as s:
            row = _find(s, bank_account_no)
            row.last_fetch_at = self.clock()
            row.last_fetch_until = until
            row.last_fetch_files = files
            if state:
                row.client_state = base64.b64encode(state).decode("ascii")
            row.version += 1
            s.add(row)


def _settings(row: FinTSAccess) -> FinTSSettings:
    product = row.product_id or os.environ.get(PRODUCT_ID_ENV, "")
    if not product:
        raise FeedError(
            N_(
                "No FinTS product id for bank account {bank_account_no}: "
                "register the software with the Deutsche Kreditwirtschaft and "
                "set it with 'feed fints add ... --product-id ID' or "
                "{PRODUCT_ID_ENV}"
            ),
            bank_account_no=row.bank_account_no,
            PRODUCT_ID_ENV=PRODUCT_ID_ENV,
        )
    return FinTSSettings(row.blz, row.user_id, row.server_url, product, row.iban,
                         row.customer_id)


def _find(s: Session, bank_account_no: str) -> FinTSAccess:
    row = s.exec(select(FinTSAccess).where(
        FinTSAccess.bank_account_no == bank_account_no)).first()
    if row is None:
        raise NotFoundError(N_("Bank account {bank_account_no} has no FinTS access (see "
                               "'lettrage feed fints list')"), bank_account_no=bank_account_no)
    return row


def _view(r: FinTSAccess) -> FinTSView:
    return FinTSView(r.id or 0, r.bank_account_no, r.blz, r.user_id, r.server_url,
                     r.product_id, r.iban,
                     r.last_fetch_at.isoformat(timespec="seconds") if r.last_fetch_at else "",
                     r.last_fetch_until.isoformat() if r.last_fetch_until else "")
