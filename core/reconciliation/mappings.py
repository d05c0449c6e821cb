"""Text-to-account mappings (bc-spec §4): map a statement text to a G/L account, a
customer, a vendor or a bank account. Map Text to Account (from a journal line) and the
Text-to-Account Mappings setup page both end here; an edit goes to the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.audit import trail as audit
from core.i18n import N_
from core.kernel.errors import ConflictError, LettrageError, NotFoundError
from core.kernel.store import Store
from core.ledger.models import BankAccount, GLAccount, Party
from core.reconciliation.models import TextToAccountMapping
from core.reconciliation.types import MappingView

MAPPING_ENTITY = "text_to_account_mapping"
MAPPING_SOURCE_LABELS = {"gl_account": N_("G/L Account"), "customer": N_("Customer"),
                         "vendor": N_("Vendor"), "bank_account": N_("Bank Account")}
_MAPPING_COLUMNS = ("mapping_text", "debit_acc_no", "credit_acc_no", "bal_source_type",
                    "bal_source_no")


def check_account(s: Session, account_type: str, account_no: str) -> str:
    """The account's name; errors when it does not exist or cannot be posted to."""
    if not account_no:
        raise LettrageError(N_("You must choose an account to transfer the difference to."))
    if account_type == "gl_account":
        gl = s.get(GLAccount, account_no)
        if gl is None:
            raise NotFoundError(N_("G/L account {account_no} does not exist"),
                                account_no=account_no)
        if gl.account_type != "posting" or gl.blocked:
            raise LettrageError(N_("G/L account {account_no} ({name}) is not a posting account "
                                   "or is blocked"), account_no=account_no, name=gl.name)
        return gl.name
    if account_type == "bank_account":
        bank = s.get(BankAccount, account_no)
        if bank is None:
            raise NotFoundError(N_("Bank account {account_no} does not exist"),
                                account_no=account_no)
        return bank.name
    if account_type in ("customer", "vendor"):
        party = s.get(Party, (account_type, account_no))
        if party is None:
            raise NotFoundError(N_("{account_type} {account_no} does not exist"),
                                account_type=account_type.title(), account_no=account_no)
        return party.name
    raise LettrageError(N_("Unknown account type '{account_type}'"), account_type=account_type)


def mapping_view(m: TextToAccountMapping) -> MappingView:
    assert m.id is not None
    return MappingView(m.id, m.mapping_text, m.debit_acc_no, m.credit_acc_no,
                       m.bal_source_type, m.bal_source_no)


def add_mapping(s: Session, text: str, debit: str, credit: str, source_type: str,
                source_no: str) -> TextToAccountMapping:
    text = text.strip()
    if not text:
        raise LettrageError(N_("Enter the Mapping Text."))
    clash = s.exec(select(TextToAccountMapping).where(
        func.upper(TextToAccountMapping.mapping_text) == text.upper())).first()
    if clash is not None:
        raise LettrageError(N_("Entry with Mapping Text='{text}' already exists."), text=text)
    if source_type == "gl_account":
        if not (debit or credit):
            raise LettrageError(N_("Enter a Debit Acc. No. or a Credit Acc. No. for a G/L "
                                "account mapping."))
        for no in (debit, credit):
            if no:
                check_account(s, "gl_account", no)
    else:
        if not source_no:
            raise LettrageError(N_("Enter the Bal. Source No. for a {source_type} mapping."),
                                source_type=source_type)
        check_account(s, source_type, source_no)
    m = TextToAccountMapping(mapping_text=text[:250], debit_acc_no=debit, credit_acc_no=credit,
                             bal_source_type=source_type, bal_source_no=source_no)
    s.add(m)
    s.flush()
    return m


class TextMappingEdits:
    """The mapping edits of ``MatchingSetupService`` (one unit of work each, audited)."""

    store: Store
    user: str

    def mappings(self) -> list[MappingView]:
        with self.store.read() as s:
            return [mapping_view(m) for m in s.exec(
                select(TextToAccountMapping).order_by(
                    func.upper(col(TextToAccountMapping.mapping_text))))]

    def add_mapping(self, new: MappingView) -> MappingView:
        """A new mapping (``new.id`` is ignored)."""
        with self.store.write() as s:
            m = add_mapping(s, new.mapping_text, new.debit_acc_no.strip(),
                            new.credit_acc_no.strip(), new.bal_source_type,
                            new.bal_source_no.strip())
            audit.record(s, user=self.user, action="insert", entity=MAPPING_ENTITY, key=m.id,
                         changes={k: (None, v) for k, v in
                                  audit.snapshot(m, _MAPPING_COLUMNS).items()})
            return mapping_view(m)

    def update_mapping(self, before: MappingView, after: MappingView) -> MappingView:
        with self.store.write() as s:
            m = _locked_mapping(s, before)
            was = audit.snapshot(m, _MAPPING_COLUMNS)
            _check_mapping(s, after, exclude_id=before.id)
            m.mapping_text = after.mapping_text.strip()[:250]
            m.debit_acc_no = after.debit_acc_no.strip()
            m.credit_acc_no = after.credit_acc_no.strip()
            m.bal_source_type = after.bal_source_type
            m.bal_source_no = after.bal_source_no.strip()
            s.flush()
            changes = audit.diff(was, audit.snapshot(m, _MAPPING_COLUMNS))
            if changes:
                audit.record(s, user=self.user, action="update", entity=MAPPING_ENTITY,
                             key=m.id, changes=changes)
            return mapping_view(m)

    def delete_mapping(self, before: MappingView) -> None:
        with self.store.write() as s:
            m = _locked_mapping(s, before)
            audit.record(s, user=self.user, action="delete", entity=MAPPING_ENTITY, key=m.id,
                         changes={k: (v, None) for k, v in
                                  audit.snapshot(m, _MAPPING_COLUMNS).items()})
            s.delete(m)


def _mapping_values(m: MappingView) -> dict[str, Any]:
    return {"mapping_text": m.mapping_text, "debit_acc_no": m.debit_acc_no,
            "credit_acc_no": m.credit_acc_no, "bal_source_type": m.bal_source_type,
            "bal_source_no": m.bal_source_no}


def _locked_mapping(s: Session, before: MappingView) -> TextToAccountMapping:
    m = s.exec(select(TextToAccountMapping).where(TextToAccountMapping.id == before.id)
               .with_for_update()).first()
    if m is None:
        raise ConflictError(N_("Text mapping '{mapping_text}' was deleted by someone else "
                               "meanwhile; reload"), mapping_text=before.mapping_text)
    if audit.snapshot(m, _MAPPING_COLUMNS) != _mapping_values(before):
        raise ConflictError(N_("Text mapping '{mapping_text}' was changed by someone else "
                               "meanwhile; reload"), mapping_text=before.mapping_text)
    return m


def _check_mapping(s: Session, m: MappingView, exclude_id: int) -> None:
    """The checks of a new mapping (recon_tools.add_mapping), for an edited one."""
    text = m.mapping_text.strip()
    if not text:
        raise LettrageError(N_("Enter the Mapping Text."))
    clash = s.exec(select(TextToAccountMapping).where(
        func.upper(TextToAccountMapping.mapping_text) == text.upper(),
        TextToAccountMapping.id != exclude_id)).first()
    if clash is not None:
        raise LettrageError(N_("Entry with Mapping Text='{text}' already exists."), text=text)
    if m.bal_source_type not in MAPPING_SOURCE_LABELS:
        raise LettrageError(N_("'{bal_source_type}' is not a Bal. Source Type."),
                            bal_source_type=m.bal_source_type)
    if m.bal_source_type == "gl_account":
        if not (m.debit_acc_no.strip() or m.credit_acc_no.strip()):
            raise LettrageError(N_("Enter a Debit Acc. No. or a Credit Acc. No. for a G/L "
                                "account mapping."))
        for no in (m.debit_acc_no.strip(), m.credit_acc_no.strip()):
            if no:
                check_account(s, "gl_account", no)
    else:
        if not m.bal_source_no.strip():
            raise LettrageError(N_("Enter the Bal. Source No. for a {bal_source_type} mapping."),
                                bal_source_type=m.bal_source_type)
        check_account(s, m.bal_source_type, m.bal_source_no.strip())
