"""Late payment prediction, the use cases: train, evaluate, refresh, show.

Reads the company's customer invoices (posted ledger entries and loaded payment
history) into the pure feature builder's arrays, trains and stores the model, scores
the open invoices not yet due and keeps the latest prediction per invoice in
``PaymentPrediction`` for the lists, the customer card and the home figure.

Retraining (BC's rule): ``refresh`` retrains when there is no model yet or when the
number of closed invoices has grown by 10 % since the stored model learnt; ``train``
retrains on demand. A model whose quality is below the threshold is stored (so its
report can be read) but never used: no predictions are shown and the app says why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlmodel import Session, col, delete, func, select

from core.i18n import N_, _, format_date, format_number
from core.kernel.errors import LettrageError
from core.kernel.money import from_minor
from core.kernel.store import Clock, Store, utc_now
from core.ledger.models import DetailedLedgerEntry, LedgerEntry, Party
from core.prediction import dataset
from core.prediction.features import FEATURES, NEVER, Events, InvoiceHistory, build_features
from core.prediction.model import (
    QUALITY_THRESHOLD,
    Forests,
    Quality,
    confidence_band,
    expected_days_late,
    score,
    train,
)
from core.prediction.models import PaymentHistory, PaymentPrediction, PredictionModel
from core.prediction.reasons import reason_records, render
from core.prediction.trees import ModelFileError, dump_forests, load_forests

RETRAIN_GROWTH = 0.10
_EPOCH = date(1970, 1, 1)


class NoUsableModel(LettrageError):
    """There is no model, or its quality is below the threshold."""


@dataclass(frozen=True)
class PredictionView:
    entry_no: int
    document_no: str
    customer_no: str
    customer_name: str
    due_date: date
    remaining_amount: Decimal
    prediction: str  # late | on_time
    confidence: str  # High | Medium | Low
    confidence_pct: int
    expected_payment_date: date
    reasons: tuple[str, ...]

    @property
    def late(self) -> bool:
        return self.prediction == "late"

    def as_dict(self) -> dict[str, Any]:
        return {"document_no": self.document_no, "customer_no": self.customer_no,
                "due_date": self.due_date.isoformat(), "prediction": self.prediction,
                "confidence": self.confidence, "confidence_pct": self.confidence_pct,
                "expected_payment_date": self.expected_payment_date.isoformat(),
                "reasons": list(self.reasons), "remaining_amount": str(self.remaining_amount),
                "entry_no": self.entry_no}


@dataclass(frozen=True)
class DraftInvoice:
    """An unposted sales invoice as the prediction needs it (the caller reads it from
    the sales documents: prediction does not import them)."""

    document_no: str
    customer_no: str
    posting_date: date
    due_date: date
    amount: Decimal  # including VAT


def draft_from(doc: Any) -> DraftInvoice:
    """A sales document view (``no``, ``customer_no``, ``posting_date``,
    ``document_date``, ``due_date``, ``totals.amount_incl_vat``) as a draft to score; a
    draft without a due date yet is due on its document date."""
    return DraftInvoice(doc.no, doc.customer_no, doc.posting_date,
                        doc.due_date or doc.document_date or doc.posting_date,
                        doc.totals.amount_incl_vat)


@dataclass(frozen=True)
class ModelStatus:
    """What the screens say about the model: usable or why not."""

    version: int | None
    trained_on: date | None
    usable: bool
    quality: dict[str, Any]
    closed_invoices: int
    message: str
    predicted_late: int = 0
    predicted_late_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class TrainReport:
    version: int
    trained_on: date
    quality: Quality
    predictions: int
    retrained: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "trained_on": self.trained_on.isoformat(),
                "retrained": self.retrained, "predictions": self.predictions,
                "quality": self.quality.as_dict()}


# The collections tables are read by name: prediction does not import another
# capability's models. A reminder counts from its document date (the day it was issued
# for), cancelled or not (see core.prediction.features).
REMINDERS_SQL = text("SELECT customer_no, document_date, level FROM issueddocument "
                     "WHERE kind = 'reminder'")


@dataclass
class _Ledger:
    """The company's invoices as arrays, and who they are."""

    history: InvoiceHistory
    payments: Events
    reminders: Events
    customers: dict[str, int]
    entry_no: np.ndarray  # ledger entry no per invoice (0 for loaded history)
    document_no: list[str]
    customer_no: list[str]
    remaining: np.ndarray  # minor units


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def day_no(d: date) -> int:
    return (d - _EPOCH).days


def from_day(n: int) -> date:
    return _EPOCH + timedelta(days=int(n))


class PredictionService:
    def __init__(self, store: Store, today: Callable[[], date], clock: Clock = utc_now,
                 threshold: float = QUALITY_THRESHOLD) -> None:
        self.store = store
        self.today = today
        self.clock = clock
        self.threshold = threshold

    # --- reading the ledger ------------------------------------------------------------

    def _ledger(self, s: Session) -> _Ledger:
        inv = s.exec(select(  # type: ignore[call-overload]
            LedgerEntry.entry_no, LedgerEntry.party_no, LedgerEntry.document_no,
                            LedgerEntry.posting_date, LedgerEntry.due_date, LedgerEntry.amount,
                            LedgerEntry.remaining_amount, LedgerEntry.open,
                            LedgerEntry.closed_at_date).where(
            LedgerEntry.party_type == "customer", LedgerEntry.document_type == "invoice",
            col(LedgerEntry.reversed).is_(False)).order_by(col(LedgerEntry.entry_no))).all()
        firsts = s.exec(select(DetailedLedgerEntry.ledger_entry_no,
                               DetailedLedgerEntry.document_type,
                               func.min(DetailedLedgerEntry.posting_date)).where(
            DetailedLedgerEntry.party_type == "customer",
            DetailedLedgerEntry.entry_type == "application",
            DetailedLedgerEntry.initial_document_type == "invoice",
            col(DetailedLedgerEntry.unapplied).is_(False)).group_by(
            col(DetailedLedgerEntry.ledger_entry_no), col(DetailedLedgerEntry.document_type))
        ).all()
        first_pay = {e: d for e, t, d in firsts if t == "payment"}
        corrected = {e: d for e, t, d in firsts if t == "credit_memo"}
        hist = s.exec(select(PaymentHistory).order_by(col(PaymentHistory.id))).all()
        pays = s.exec(select(col(LedgerEntry.party_no), col(LedgerEntry.posting_date)).where(
            LedgerEntry.party_type == "customer", LedgerEntry.document_type == "payment",
            col(LedgerEntry.reversed).is_(False))).all()
        customers: dict[str, int] = {}

        def cust(no: str) -> int:
            return customers.setdefault(no, len(customers))

        n = len(inv) + len(hist)
        arr = {k: np.full(n, NEVER, np.int64) for k in
               ("customer", "posting", "due", "paid", "first", "corrected", "entry", "rem")}
        amount = np.zeros(n)
        docs: list[str] = []
        nos: list[str] = []
        for i, (e, party, doc, posting, due, amt, rem, is_open, closed) in enumerate(inv):
            arr["customer"][i], arr["entry"][i], arr["rem"][i] = cust(party), e, rem
            arr["posting"][i] = day_no(posting)
            arr["due"][i] = day_no(due or posting)
            if not is_open and closed is not None:
                arr["paid"][i] = max(day_no(closed), arr["posting"][i])
            if e in first_pay:
                arr["first"][i] = day_no(first_pay[e])
            if e in corrected:
                arr["corrected"][i] = day_no(corrected[e])
            amount[i] = amt / 100
            docs.append(doc)
            nos.append(party)
        for j, h in enumerate(hist, start=len(inv)):
            arr["customer"][j], arr["entry"][j], arr["rem"][j] = cust(h.customer_no), 0, 0
            arr["posting"][j], arr["due"][j] = day_no(h.posting_date), day_no(h.due_date)
            arr["paid"][j] = arr["first"][j] = day_no(h.paid_date)
            amount[j] = h.amount / 100
            docs.append(h.document_no)
            nos.append(h.customer_no)
        arr["first"] = np.minimum(arr["first"], arr["paid"])
        pay_c = [cust(p) for p, _d in pays] + [customers[h.customer_no] for h in hist]
        pay_d = [day_no(d) for _p, d in pays] + [day_no(h.paid_date) for h in hist]
        history = InvoiceHistory(arr["customer"], arr["posting"], arr["due"], amount,
                                 arr["paid"], arr["first"], arr["corrected"])
        rems = [(cust(c), day_no(_as_date(d)), int(lv))
                for c, d, lv in s.execute(REMINDERS_SQL).all()]
        reminders = Events(np.asarray([r[0] for r in rems], np.int64),
                           np.asarray([r[1] for r in rems], np.int64),
                           np.asarray([r[2] for r in rems], np.int64))
        return _Ledger(history, Events(np.asarray(pay_c, np.int64), np.asarray(pay_d, np.int64)),
                       reminders, customers, arr["entry"], docs, nos, arr["rem"])

    # --- the stored model --------------------------------------------------------------

    def _latest(self, s: Session) -> PredictionModel | None:
        return s.exec(select(PredictionModel).order_by(
            col(PredictionModel.version).desc()).limit(1)).first()

    @staticmethod
    def _forests(row: PredictionModel) -> Forests:
        try:
            features = json.loads(row.features)
        except ValueError:
            features = None
        if features != list(FEATURES):
            raise ModelFileError(N_("The stored prediction model (version {version}) uses "
                                    "other features than this Lettrage computes; run "
                                    "'lettrage predict train' again"), version=row.version)
        forests = load_forests(bytes(row.forests), ("classifier", "regressor"), len(FEATURES))
        return Forests(forests["classifier"], forests["regressor"])

    # --- use cases ---------------------------------------------------------------------

    def train(self) -> TrainReport:
        """Train on demand, store the model, and score the open invoices if usable."""
        today = self.today()
        with self.store.read() as s:
            ledger = self._ledger(s)
        learn = dataset.learning_set(ledger.history, day_no(today), ledger.payments,
                                     ledger.reminders)
        forests, quality = train(learn.x, learn.late, learn.days_late, learn.has_days,
                                 learn.posting, self.threshold)
        with self.store.write() as s:
            latest = self._latest(s)
            version = (latest.version if latest else 0) + 1
            s.add(PredictionModel(version=version, trained_at=self.clock(), trained_on=today,
                                  features=json.dumps(list(FEATURES)),
                                  quality=json.dumps(quality.as_dict()),
                                  closed_invoices=learn.closed, usable=quality.usable,
                                  forests=dump_forests({"classifier": forests.classifier,
                                                        "regressor": forests.regressor})))
        written = self._score_and_store(ledger, forests, version, today) if quality.usable \
            else self._clear()
        return TrainReport(version, today, quality, written)

    def evaluate(self) -> Quality:
        """The quality a model trained now would have (older 80 % -> newest 20 %),
        without storing anything."""
        today = self.today()
        with self.store.read() as s:
            ledger = self._ledger(s)
        learn = dataset.learning_set(ledger.history, day_no(today), ledger.payments,
                                     ledger.reminders)
        return train(learn.x, learn.late, learn.days_late, learn.has_days, learn.posting,
                     self.threshold, refit=False)[1]

    def refresh(self) -> TrainReport:
        """For cron: retrain when due (no model, or 10 % more closed invoices), then
        score the open invoices with the stored model."""
        today = self.today()
        with self.store.read() as s:
            ledger = self._ledger(s)
            latest = self._latest(s)
        closed = dataset.closed_count(ledger.history, day_no(today))
        if latest is None or closed >= latest.closed_invoices * (1 + RETRAIN_GROWTH):
            return self.train()
        quality = Quality(**{k: v for k, v in json.loads(latest.quality).items()
                             if k != "usable"})
        if not latest.usable:
            self._clear()
            raise NoUsableModel(self._unusable_message(latest))
        forests = self._forests(latest)
        written = self._score_and_store(ledger, forests, latest.version, today)
        return TrainReport(latest.version, latest.trained_on, quality, written, retrained=False)

    def _score_and_store(self, ledger: _Ledger, forests: Forests, version: int,
                         today: date) -> int:
        rows, x = dataset.scoring_set(ledger.history, day_no(today), ledger.payments,
                                      ledger.reminders)
        rows_in_ledger = ledger.entry_no[rows] > 0
        rows, x = rows[rows_in_ledger], x[rows_in_ledger]
        scores = score(forests, x)
        assert scores.contributions is not None
        words = reason_records(x, scores.contributions, scores.p_late >= 0.5)
        records = []
        for k, i in enumerate(rows.tolist()):
            p = float(scores.p_late[k])
            late = p >= 0.5
            due = int(ledger.history.due[i])
            records.append(PaymentPrediction(
                entry_no=int(ledger.entry_no[i]), customer_no=ledger.customer_no[i],
                document_no=ledger.document_no[i], due_date=from_day(due),
                remaining_amount=int(ledger.remaining[i]), late=late,
                confidence_pct=round(100 * (p if late else 1 - p)),
                expected_payment_date=from_day(
                    due + expected_days_late(late, float(scores.days_late[k]))),
                reasons=json.dumps(words[k]),
                model_version=version, scored_on=today))
        with self.store.write() as s:
            s.exec(delete(PaymentPrediction))  # type: ignore[call-overload]
            s.add_all(records)
        return len(records)

    def _clear(self) -> int:
        with self.store.write() as s:
            s.exec(delete(PaymentPrediction))  # type: ignore[call-overload]
        return 0

    def _unusable_message(self, row: PredictionModel) -> str:
        auc = json.loads(row.quality).get("roc_auc", 0.0)
        return _("The prediction model (version {version}, trained {day}) is not used: its "
                 "quality (ROC AUC {auc} on the newest invoices) is below the threshold "
                 "{threshold}").format(version=row.version, day=format_date(row.trained_on),
                                       auc=_ratio(auc), threshold=_ratio(self.threshold))

    def score_drafts(self, drafts: Sequence[DraftInvoice]) -> list[PredictionView]:
        """Late / on time for unposted invoices, each described as known on its posting
        date (what the customer's history showed that day), with the stored model.
        Nothing is stored: a draft changes until it is posted."""
        if not drafts:
            return []
        with self.store.read() as s:
            latest = self._latest(s)
            if latest is None or not latest.usable:
                raise NoUsableModel(self._unusable_message(latest) if latest is not None
                                    else self.status().message)
            ledger = self._ledger(s)
            names = dict(s.exec(select(Party.no, Party.name).where(
                Party.party_type == "customer",
                col(Party.no).in_(sorted({d.customer_no for d in drafts})))).all())
        forests = self._forests(latest)
        h, n = ledger.history, len(ledger.history)
        customers = dict(ledger.customers)
        cust = np.asarray([customers.setdefault(d.customer_no, len(customers))
                           for d in drafts], np.int64)
        posting = np.asarray([day_no(d.posting_date) for d in drafts], np.int64)
        due = np.asarray([day_no(max(d.due_date, d.posting_date)) for d in drafts], np.int64)
        never = np.full(len(drafts), NEVER, np.int64)
        extended = InvoiceHistory(
            np.concatenate([h.customer, cust]), np.concatenate([h.posting, posting]),
            np.concatenate([h.due, due]),
            np.concatenate([h.amount, [float(d.amount) for d in drafts]]),
            np.concatenate([h.paid, never]), np.concatenate([h.first_payment, never]),
            np.concatenate([h.corrected, never]))
        rows = np.arange(n, n + len(drafts), dtype=np.int64)
        x = build_features(extended, rows, posting, ledger.payments, ledger.reminders)
        scores = score(forests, x)
        assert scores.contributions is not None
        words = reason_records(x, scores.contributions, scores.p_late >= 0.5)
        out = []
        for k, d in enumerate(drafts):
            p = float(scores.p_late[k])
            late = p >= 0.5
            pct = round(100 * (p if late else 1 - p))
            out.append(PredictionView(
                0, d.document_no, d.customer_no, names.get(d.customer_no, ""),
                from_day(int(due[k])), d.amount, "late" if late else "on_time",
                confidence_band(pct / 100), pct,
                from_day(int(due[k]) + expected_days_late(late, float(scores.days_late[k]))),
                tuple(render(words[k]))))
        return out

    # --- reading predictions -----------------------------------------------------------

    def status(self) -> ModelStatus:
        with self.store.read() as s:
            row = self._latest(s)
            late, amount = s.exec(select(func.count(), func.coalesce(func.sum(
                LedgerEntry.remaining_amount), 0)).select_from(PaymentPrediction).join(
                LedgerEntry, col(LedgerEntry.entry_no) == PaymentPrediction.entry_no).where(
                col(PaymentPrediction.late).is_(True), col(LedgerEntry.open).is_(True))).one()
        if row is None:
            return ModelStatus(None, None, False, {}, 0, _(
                "No prediction model yet: run 'lettrage predict train' (or t on the "
                "predictions list)"))
        quality = json.loads(row.quality)
        message = _("Model version {version} trained {day}: ROC AUC {auc} (baseline "
                    "{baseline})").format(
            version=row.version, day=format_date(row.trained_on),
            auc=_ratio(quality.get("roc_auc", 0)),
            baseline=_ratio(quality.get("baseline_roc_auc", 0))
        ) if row.usable else self._unusable_message(row)
        return ModelStatus(row.version, row.trained_on, row.usable, quality,
                           row.closed_invoices, message, int(late), from_minor(int(amount)))

    def predictions(self, customer_no: str | None = None, late_only: bool = False,
                    entry_nos: list[int] | None = None) -> list[PredictionView]:
        with self.store.read() as s:
            q = select(PaymentPrediction, Party.name).join(
                Party, (col(Party.party_type) == "customer")
                & (col(Party.no) == PaymentPrediction.customer_no), isouter=True).join(
                LedgerEntry, col(LedgerEntry.entry_no) == PaymentPrediction.entry_no).where(
                col(LedgerEntry.open).is_(True))  # paid since the last refresh: not shown
            if customer_no:
                q = q.where(PaymentPrediction.customer_no == customer_no)
            if late_only:
                q = q.where(col(PaymentPrediction.late).is_(True))
            if entry_nos is not None:
                q = q.where(col(PaymentPrediction.entry_no).in_(entry_nos))
            q = q.order_by(col(PaymentPrediction.due_date), col(PaymentPrediction.entry_no))
            found = s.exec(q).all()
        return [_view(p, name or "") for p, name in found]


def _ratio(value: float) -> str:
    """A quality figure such as ROC AUC with two decimals in the clerk's language."""
    return format_number(Decimal(f"{value:.2f}"), 2)


def _view(p: PaymentPrediction, name: str) -> PredictionView:
    return PredictionView(
        p.entry_no, p.document_no, p.customer_no, name, p.due_date,
        from_minor(p.remaining_amount), "late" if p.late else "on_time",
        confidence_band(p.confidence_pct / 100), p.confidence_pct, p.expected_payment_date,
        tuple(render(json.loads(p.reasons))))
