"""Reminder Automation (bc-spec §9.2): create, issue and send reminders for one date,
safe to run from cron. Re-running the same day creates nothing twice (a customer with a
draft, or with a reminder issued for that date, is skipped), issues only that date's
drafts and sends only what was not sent yet. Every run is logged (``CollectionRun``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlmodel import col, select

from core.collections.documents import CollectionsDocuments
from core.collections.models import CollectionDocument, CollectionRun, IssuedDocument
from core.collections.service import CollectionsService
from core.documents.mail import SmtpSettings
from core.i18n import N_
from core.kernel.errors import LettrageError


@dataclass
class RunResult:
    run_id: int
    run_date: date
    actions: tuple[str, ...]
    created: list[str] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (no., address)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (what, message)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return asdict(self)


class ReminderAutomation:
    def __init__(self, service: CollectionsService, documents: CollectionsDocuments) -> None:
        self.service = service
        self.documents = documents

    def run(self, run_date: date, *, create: bool, issue: bool, send: bool,
            customer_nos: Sequence[str] = (), settings: SmtpSettings | None = None,
            stop_on_error: bool = False) -> RunResult:
        actions = tuple(a for a, on in (("create", create), ("issue", issue), ("send", send))
                        if on)
        if not actions:
            raise LettrageError(N_("Choose what the run does: --create, --issue and/or --send"))
        if send and settings is None:
            raise LettrageError(N_("Sending needs the SMTP settings (LETTRAGE_SMTP_HOST ...)"))
        result = RunResult(self._start(run_date, actions), run_date, actions)
        try:
            if create:
                made = self.service.create("reminder", run_date, customer_nos=customer_nos,
                                           only_overdue=False, skip_issued_on_date=True)
                result.created, result.skipped = list(made.created), list(made.skipped)
            if issue:
                done, failed = self.service.issue_many(
                    "reminder", self._drafts(run_date, customer_nos),
                    stop_on_error=stop_on_error)
                result.issued = [d.issued_no for d in done]
                result.errors += failed
            if send and settings is not None and not (stop_on_error and result.errors):
                for no in self._unsent(run_date, customer_nos):
                    try:
                        result.sent.append((no, self.documents.send("reminder", no,
                                                                     settings)))
                    except LettrageError as exc:
                        result.errors.append((no, str(exc)))
                        if stop_on_error:
                            break
        finally:
            self._finish(result)
        return result

    def _drafts(self, run_date: date, customer_nos: Sequence[str]) -> list[str]:
        with self.service.store.read() as s:
            q = select(CollectionDocument.no).where(CollectionDocument.kind == "reminder",
                                                    CollectionDocument.document_date == run_date)
            if customer_nos:
                q = q.where(col(CollectionDocument.customer_no).in_(customer_nos))
            return list(s.exec(q.order_by(col(CollectionDocument.no))).all())

    def _unsent(self, run_date: date, customer_nos: Sequence[str]) -> list[str]:
        with self.service.store.read() as s:
            q = select(IssuedDocument.no).where(
                IssuedDocument.kind == "reminder", IssuedDocument.document_date == run_date,
                col(IssuedDocument.canceled).is_(False), col(IssuedDocument.sent_at).is_(None))
            if customer_nos:
                q = q.where(col(IssuedDocument.customer_no).in_(customer_nos))
            return list(s.exec(q.order_by(col(IssuedDocument.no))).all())

    def _start(self, run_date: date, actions: tuple[str, ...]) -> int:
        with self.service.store.write() as s:
            run = CollectionRun(run_date=run_date, started_at=self.service.clock(),
                                user=self.service.user, actions=",".join(actions))
            s.add(run)
            s.flush()
            assert run.id is not None
            return run.id

    def _finish(self, result: RunResult) -> None:
        with self.service.store.write() as s:
            run = s.get(CollectionRun, result.run_id)
            assert run is not None
            run.finished_at = self.service.clock()
            run.created, run.issued = len(result.created), len(result.issued)
            run.sent, run.errors = len(result.sent), len(result.errors)
            run.log = json.dumps({"created": result.created, "issued": result.issued,
                                  "sent": result.sent, "errors": result.errors,
                                  "skipped": result.skipped[:200]}, ensure_ascii=False)

    def runs(self, limit: int = 20) -> list[dict[str, object]]:
        with self.service.store.read() as s:
            rows = s.exec(select(CollectionRun).order_by(col(CollectionRun.id).desc())
                          .limit(limit)).all()
            return [r.model_dump() for r in rows]
