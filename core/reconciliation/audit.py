"""The audit trail of the Payment Reconciliation Journal.

Who accepted, changed or removed each application on a statement line, with the line's
account, applied entries, amounts and confidence before and after; one summary entry
per Apply Automatically run (not one per line: a run over 10,000 lines writes one row).
Entries are added to the caller's write session, so they commit with the change.

Records: ``statement_line`` keyed ``<bank>/<statement no.>/<line no.>`` and
``reconciliation_journal`` keyed ``<bank>/<statement no.>``; conflict messages look the
same keys up (``core.audit.conflicts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from core.audit import trail as audit
from core.audit.conflicts import RecordRef
from core.i18n import _
from core.kernel.money import from_minor
from core.reconciliation.mappings import MAPPING_ENTITY
from core.reconciliation.models import (
    AppliedPaymentEntry,
    ReconJournal,
    ReconLine,
    TextToAccountMapping,
)

LINE_ENTITY = "statement_line"
JOURNAL_ENTITY = "reconciliation_journal"
AUTO_ACTION = "apply_automatically"


def journal_key(j: ReconJournal) -> str:
    return f"{j.bank_account_no}/{j.statement_no}"


def line_key(s: Session, line: ReconLine) -> str:
    """The line's trail key (its journal comes from the session's identity map)."""
    j = s.get(ReconJournal, line.journal_id)
    prefix = journal_key(j) if j is not None else _("journal {journal_id}").format(
                                                     journal_id=line.journal_id)
    return f"{prefix}/{line.line_no}"


def line_records(s: Session, line: ReconLine) -> list[RecordRef]:
    """The records whose latest entry says who last changed the line: the line itself
    and its journal's Apply Automatically runs (they change lines through one journal
    entry; the journal's other entries do not touch its lines)."""
    j = s.get(ReconJournal, line.journal_id)
    out: list[RecordRef] = [(LINE_ENTITY, line_key(s, line))]
    if j is not None:
        out.append((JOURNAL_ENTITY, journal_key(j), AUTO_ACTION))
    return out


def _money(minor: int) -> str:
    return f"{from_minor(minor):.2f}"


def _application(a: AppliedPaymentEntry) -> str:
    target = (_("entry {applies_to_entry_no}").format(applies_to_entry_no=a.applies_to_entry_no)
              if a.applies_to_entry_no else _("on account"))
    disc = _(" (discount {applied_pmt_discount})").format(
              applied_pmt_discount=_money(a.applied_pmt_discount)) if a.applied_pmt_discount else ""
    return f"{target} {_money(a.applied_amount)}{disc}"


def line_state(line: ReconLine, apps: Sequence[AppliedPaymentEntry]) -> dict[str, Any]:
    """The audited values of a line and its applications (plain text)."""
    return {
        "account": f"{line.account_type} {line.account_no}".strip(),
        "applications": "; ".join(_application(a) for a in apps),
        "amount": _money(line.amount),
        "applied_amount": _money(line.applied_amount),
        "difference": _money(line.difference),
        "confidence": line.match_confidence,
    }


def record_line(s: Session, user: str, action: str, line: ReconLine,
                before: dict[str, Any], apps: Sequence[AppliedPaymentEntry],
                note: str = "") -> None:
    """One trail entry for a line whose applications changed (nothing when none did)."""
    changes = audit.diff(before, line_state(line, apps))
    if changes:
        audit.record(s, user=user, action=action, entity=LINE_ENTITY,
                     key=line_key(s, line), changes=changes, note=note)


def record_new_line(s: Session, user: str, action: str, line: ReconLine,
                    apps: Sequence[AppliedPaymentEntry], note: str = "") -> None:
    audit.record(s, user=user, action=action, entity=LINE_ENTITY, key=line_key(s, line),
                 changes={k: (None, v) for k, v in line_state(line, apps).items() if v},
                 note=note)


def record_journal(s: Session, user: str, action: str, j: ReconJournal,
                   changes: dict[str, tuple[Any, Any]], note: str = "") -> None:
    audit.record(s, user=user, action=action, entity=JOURNAL_ENTITY, key=journal_key(j),
                 changes=changes, note=note)


MAPPING_FIELDS = ("mapping_text", "debit_acc_no", "credit_acc_no", "bal_source_type",
                  "bal_source_no")


def audit_mapping(s: Session, user: str, action: str, m: TextToAccountMapping,
                  note: str = "") -> None:
    """A text-to-account mapping created ("insert") or deleted ("delete") from the
    journal; the entity and key are those of the matching setup's own edits."""
    values = audit.snapshot(m, MAPPING_FIELDS)
    changes = {k: ((None, v) if action == "insert" else (v, None)) for k, v in values.items()}
    audit.record(s, user=user, action=action, entity=MAPPING_ENTITY, key=m.id,
                 changes=changes, note=note)
