"""Who changed a record meanwhile: the words of a ``ConflictError``.

When an optimistic check fails (a record's version moved since the clerk read it), the
clerk should learn what changed, by whom and when, not only that "someone" did:

    Customer C00010 was changed by someone else meanwhile: anna at 10:42
    (Blocked: '' → all); reload the card to see it, then edit again.

The answer comes from the audit trail (the latest entry for the record, or for any of
several records, e.g. a statement line and its journal's Apply Automatically run) and,
for ledger entries, from the register of the latest posting that touched the entry
(postings are not in the trail: their registers already record user and time). The
lookup runs only on the refusal path, in the refusing transaction, through indexed
columns (``ix_audit_record``, ``ix_dle_entry``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from core.audit.models import AuditEntry
from core.audit.trail import note_as_text
from core.i18n import N_, NP_, _
from core.kernel.errors import ConflictError, Text, TextList

LEDGER_ENTITY = "ledger_entry"
MAX_FIELDS = 3  # changed fields named in a message; the audit trail has them all
MAX_VALUE = 30  # characters of one value in a message
FIRST = ("blocked", "privacy_blocked", "block_payment_tolerance", "confidence", "account",
         "applied_amount", "difference")  # named first when they changed

RecordRef = tuple[str, object] | tuple[str, object, str]
"""An audit trail record: (entity, key), e.g. ("customer", "C00010"), or (entity, key,
action) to count only that action's entries (a journal's Apply Automatically runs)."""


@dataclass(frozen=True)
class LastChange:
    """The latest known change of a record."""

    user: str
    at: datetime  # aware (UTC)
    what: Text | TextList | str  # "Blocked: '' → all", "posted in register 57", "" (worded)


def last_change(s: Session, records: Iterable[RecordRef] = (),
                entry_nos: Iterable[int] = (),
                bank_entry_nos: Iterable[int] = ()) -> LastChange | None:
    """The latest change among ``records`` (audit trail), the customer/vendor ledger
    entries ``entry_nos`` (registers and the trail) and the bank ledger entries
    ``bank_entry_nos`` (their register and posted statement); None when nothing is
    known."""
    entries = list(entry_nos)
    found = [c for c in (_from_trail(s, list(records) + [(LEDGER_ENTITY, n) for n in entries]),
                         _from_registers(s, entries),
                         *(_from_bank_entry(s, n) for n in bank_entry_nos)) if c is not None]
    return max(found, key=lambda c: c.at) if found else None


def conflict(s: Session, what: Text | str, records: Iterable[RecordRef] = (),
             entry_nos: Iterable[int] = (), hint: str = N_("reload to see it"),
             bank_entry_nos: Iterable[int] = ()) -> ConflictError:
    """A ``ConflictError`` saying ``what`` was changed, by whom, when and how; its message
    id and parameters are language-neutral, so ``str(error)`` and
    ``error.message_in(language)`` word it whole in French or English.

    Args:
        s: the session of the refusing transaction.
        what: the record, worded when shown (``Text(N_("Customer {no}"), no=...)``).
        records: the audit trail records whose latest entry tells who.
        entry_nos: customer/vendor ledger entries whose latest posting tells who.
        hint: what the clerk should do next (marked with ``N_``).
        bank_entry_nos: bank ledger entries whose posting or reconciliation tells who.
    """
    change = last_change(s, records, entry_nos, bank_entry_nos)
    return conflict_error(what, change, hint)


def conflict_error(what: Text | str, change: LastChange | None, hint: str,
                   now: datetime | None = None) -> ConflictError:
    """``<what> was changed by someone else meanwhile: <user> at <time> (<fields>);
    <hint>.`` (without the part after the colon when nothing is known)."""
    hint_text = Text(hint)
    if change is None:
        return ConflictError(N_("{what} was changed by someone else meanwhile; {hint}."),
                             what=what, hint=hint_text)
    who = change.user or Text(N_("an unknown user"))
    detail = Text(N_(" ({what})"), what=change.what) if change.what else ""
    return ConflictError(N_("{what} was changed by someone else meanwhile: {who} {when}"
                            "{detail}; {hint}."), what=what, who=who,
                         when=_when(change.at, now), detail=detail, hint=hint_text)


def conflict_message(what: Text | str, change: LastChange | None, hint: str,
                     now: datetime | None = None) -> str:
    """The conflict's message in the current language."""
    return str(conflict_error(what, change, hint, now))


def _when(at: datetime, now: datetime | None) -> Text:
    """Local time; the date too when it is not today."""
    local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    if local.date() == today:
        return Text(N_("at {time}"), time=f"{local:%H:%M}")
    return Text(N_("on {day} at {time}"), day=local.date(), time=f"{local:%H:%M}")


def _from_trail(s: Session, records: list[RecordRef]) -> LastChange | None:
    if not records:
        return None
    a = AuditEntry
    terms = []
    for ref in dict.fromkeys((r[0], str(r[1]), r[2] if len(r) > 2 else "") for r in records):
        entity, key, action = ref
        term = and_(col(a.entity) == entity, col(a.record_key) == key)
        terms.append(and_(term, col(a.action) == action) if action else term)
    match = or_(*terms)
    row = s.exec(select(a).where(match).order_by(col(a.at).desc(), col(a.id).desc())
                 .limit(1)).first()
    if row is None:
        return None
    return LastChange(row.user, row.at, describe_changes(row.changes, row.note, row.action))


def _table(module: str, name: str) -> Any:
    """A ledger or reconciliation table, imported on the refusal path only: the commands
    and screens that may refuse (most) then do not define those tables at start-up.
    (The reconciliation table is the known upward call of the audit layer, formerly
    listed in pyproject's ignore_imports.)"""
    return getattr(importlib.import_module(module), name)


def _from_registers(s: Session, entry_nos: list[int]) -> LastChange | None:
    if not entry_nos:
        return None
    d = _table("core.ledger.models", "DetailedLedgerEntry")
    Register = _table("core.ledger.models", "Register")
    latest = s.exec(select(func.max(col(d.transaction_no)))
                    .where(col(d.ledger_entry_no).in_(entry_nos))).one()
    if latest is None:
        return None
    reg = s.exec(select(Register).where(col(Register.transaction_no) <= latest)
                 .order_by(col(Register.transaction_no).desc(), col(Register.no).desc())
                 .limit(1)).first()
    if reg is None:
        return None
    return LastChange(reg.user_id, reg.created_at, Text(N_("posted in register {no}"),
                                                        no=reg.no))


def _from_bank_entry(s: Session, entry_no: int) -> LastChange | None:
    b = s.get(_table("core.ledger.models", "BankLedgerEntry"), entry_no)
    Register = _table("core.ledger.models", "Register")
    PostedStatement = _table("core.reconciliation.models", "PostedStatement")
    if b is None:
        return None
    found = []
    reg = s.exec(select(Register).where(col(Register.transaction_no) == b.transaction_no)
                 .limit(1)).first()
    if reg is not None:
        found.append(LastChange(reg.user_id, reg.created_at,
                                Text(N_("posted in register {no}"), no=reg.no)))
    if b.statement_no:
        ps = s.exec(select(PostedStatement).where(
            col(PostedStatement.bank_account_no) == b.bank_account_no,
            col(PostedStatement.statement_no) == b.statement_no)).first()
        if ps is not None:
            found.append(LastChange(ps.user, ps.posted_at,
                                    Text(N_("applied on statement {statement_no}"),
                                         statement_no=ps.statement_no)))
    return max(found, key=lambda c: c.at) if found else None


def describe_changes(changes: str, note: str = "",
                     action: str = "update") -> Text | TextList | str:
    """"Blocked: '' → all, Name: Old → New" from an audit entry's JSON (else its note),
    after the action when it says more than "update" ("accept: Confidence: ..."); worded
    when shown."""
    try:
        data = json.loads(changes or "{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    parts: list[Text | str] = []
    fields = sorted(data, key=lambda f: (f not in FIRST, FIRST.index(f) if f in FIRST else 0))
    for field in fields[:MAX_FIELDS]:
        pair = data[field]
        if isinstance(pair, list) and len(pair) == 2:
            parts.append(Text(N_("{field}: {before} → {after}"), field=_label(field),
                              before=_value(pair[0]), after=_value(pair[1])))
        else:
            parts.append(Text(N_("{field}: {value}"), field=_label(field),
                              value=_value(pair)))
    if len(data) > MAX_FIELDS:
        parts.append(Text(N_("{count} more"), count=len(data) - MAX_FIELDS))
    text: Text | TextList | str = TextList(parts, ", ") if parts else note_as_text(note)
    if action in ("update", ""):
        return text
    word = ACTION_WORDS.get(action, action.replace("_", " "))
    return Text(N_("{action}: {text}"), action=word, text=text) if text else word


# What a trail entry did, in words of the clerk's language (others from their code).
ACTION_WORDS = {
    "update": N_("update"), "delete": N_("delete"), "insert": N_("insert"),
    "create": N_("create"), "replace": N_("replace"), "modify": N_("modify"),
    "issue": N_("issue"), "import": N_("import"), "cancel": N_("cancel"),
    "change_payment_tolerance": N_("change payment tolerance"),
    "apply_entries": N_("apply entries"), "apply": N_("apply"), "post": N_("post"),
    "unapply": N_("unapply"), "reverse": N_("reverse"),
    "apply_automatically": N_("apply automatically"),
    "add_statement_lines": N_("add statement lines"), "accept": N_("accept"),
    "remove": N_("remove"), "apply_manually": N_("apply manually"),
    "transfer_difference": N_("transfer difference")}


# The recorded fields a clerk meets most, in words of the clerk's language; others are
# shown from their name (``block_payment_tolerance`` -> ``Block payment tolerance``).
FIELD_LABELS = {
    "applied_lines": NP_("audit field", "Applied lines"),
    "lines": NP_("audit field", "Lines"),
    "lines_added": NP_("audit field", "Lines added"),
    "lines_to_review": NP_("audit field", "Lines to review"),
    "lines_with_difference": NP_("audit field", "Lines with difference"),
    "bank_accounts": NP_("audit field", "Bank accounts"),
    "imports": NP_("audit field", "Imports"),
    "blocked": NP_("audit field", "Blocked"),
    "privacy_blocked": NP_("audit field", "Privacy blocked"),
    "name": NP_("audit field", "Name"),
    "city": NP_("audit field", "City"),
    "email": NP_("audit field", "Email"),
    "account": NP_("audit field", "Account"),
    "applications": NP_("audit field", "Applications"),
    "amount": NP_("audit field", "Amount"),
    "applied_amount": NP_("audit field", "Applied amount"),
    "difference": NP_("audit field", "Difference"),
    "confidence": NP_("audit field", "Confidence"),
    "description": NP_("audit field", "Description"),
    "mapping_text": NP_("audit field", "Mapping text"),
    "debit_acc_no": NP_("audit field", "Debit acc no"),
    "credit_acc_no": NP_("audit field", "Credit acc no"),
    "bal_source_type": NP_("audit field", "Bal source type"),
    "bal_source_no": NP_("audit field", "Bal source no"),
}


def field_label(field: str) -> str:
    """A recorded field in words: ``city`` -> ``City`` (French ``Ville``)."""
    known = FIELD_LABELS.get(field)
    return _(known) if known is not None else field.replace("_", " ").capitalize()


def _label(field: str) -> str:
    """A recorded field's label, worded when shown (a lazy text)."""
    return FIELD_LABELS.get(field) or field.replace("_", " ").capitalize()


def _worded(value: object) -> Text | str:
    """A recorded value, worded when shown: '' for blank, yes/no for booleans, an
    account type in words ("gl_account 4900" -> "G/L account 4900")."""
    if value is None or value == "":
        return "''"
    if isinstance(value, bool):
        return Text(N_("yes") if value else N_("no"))
    text = str(value)
    kind, _sep, no = text.partition(" ")
    if kind in ACCOUNT_TYPE_WORDS and no:
        return Text("{kind} {no}", kind=ACCOUNT_TYPE_WORDS[kind], no=no)
    return text


def value_text(value: object) -> str:
    """A recorded value for people, in the current language (the audit trail)."""
    return str(_worded(value))


def _value(value: object) -> Text | str:
    worded = _worded(value)
    if isinstance(worded, Text):
        return worded
    text = worded
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


# Account types as a recorded value names them ("gl_account 4900").
ACCOUNT_TYPE_WORDS = {"gl_account": NP_("in a sentence", "G/L account"),
                      "customer": N_("customer"), "vendor": N_("vendor"),
                      "bank_account": N_("bank account")}


def action_text(action: str) -> str:
    """A stored action code as words in the clerk's language."""
    word = ACTION_WORDS.get(action)
    return _(word) if word is not None else action.replace("_", " ")
