"""The audit trail: who changed what, with before and after values, written in the same
transaction as the change; the database refuses to change it; conflict messages name
the other clerk. Runs on SQLite and PostgreSQL (``store`` fixture)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.application.journal import JournalLineInput, JournalService
from core.application.service import ApplicationService
from core.application.tolerance import SetupChanges, ToleranceService
from core.audit import trail as audit
from core.audit.conflicts import LastChange, conflict_message, describe_changes, last_change
from core.audit.queries import AuditFilter, AuditQueryService, AuditRow
from core.i18n import using_language
from core.kernel.errors import ConflictError, LettrageError
from core.kernel.store import Store
from core.ledger.parties import PartyChanges, PartyService
from core.reconciliation.service import ReconciliationService
from core.statements.importer import StatementImportService
from tests.helpers import invoice, payment
from tests.recon_support import SL, stage
from tests.statement_samples import Tx, camt, write

INV_DAY = date(2025, 1, 10)
LATE = date(2025, 2, 3)
TIME = r"(at|on \d{4}-\d\d-\d\d at) \d\d:\d\d"


def trail(store: Store, **filters: object) -> list[AuditRow]:
    return list(AuditQueryService(store).iterate(AuditFilter(**filters)))  # type: ignore[arg-type]


def changes(row: AuditRow) -> dict[str, list[object]]:
    return row.as_json()["changes"]  # type: ignore[no-any-return]


def recon(store: Store, user: str) -> ReconciliationService:
    return ReconciliationService(store, user=user)


def journal_with(store: Store, lines: list[SL], user: str = "anna"
                 ) -> tuple[ReconciliationService, int]:
    stage(store, lines)
    svc = recon(store, user)
    return svc, svc.open_journal("BANK1").id


# --- parties --------------------------------------------------------------------------------


def test_party_change_records_user_and_before_after(store: Store) -> None:
    parties = PartyService(store, user="anna")
    card = parties.update_party("customer", "C001", 1, PartyChanges(
        blocked="all", privacy_blocked=True, block_payment_tolerance=True, city="Berlin"))
    assert card.blocked == "all"
    [row] = trail(store, entity="customer")
    assert (row.user, row.action, row.key) == ("anna", "update", "C001")
    assert changes(row) == {"blocked": ["", "all"], "privacy_blocked": [False, True],
                            "block_payment_tolerance": [False, True]}  # city unchanged
    parties.update_party("customer", "C001", card.version, PartyChanges(blocked=""))
    newest = trail(store, entity="customer")[0]
    assert changes(newest) == {"blocked": ["all", ""]}


def test_party_conflict_names_the_other_clerk(store: Store) -> None:
    anna, ben = PartyService(store, user="anna"), PartyService(store, user="ben")
    anna.update_party("customer", "C001", 1, PartyChanges(blocked="all"))
    with pytest.raises(ConflictError, match=(
            rf"Customer C001 was changed by someone else meanwhile: anna {TIME} "
            r"\(Blocked: '' → all\); reload the card to see it, then edit again\.")):
        ben.update_party("customer", "C001", 1, PartyChanges(name="Ben's name"))
    assert len(trail(store)) == 1  # the refused save wrote nothing
    with using_language("fr"):
        with pytest.raises(ConflictError) as refused:
            ben.update_party("customer", "C001", 1, PartyChanges(name="Ben's name"))
        assert str(refused.value).startswith("Client C001 ")
        with pytest.raises(LettrageError) as missing:
            ben.update_party("vendor", "V404", 1, PartyChanges(name="x"))
        assert str(missing.value).startswith("Fournisseur V404 ")


# --- application setup ----------------------------------------------------------------------


def test_setup_and_change_payment_tolerance_are_audited(store: Store) -> None:
    anna, ben = ToleranceService(store, user="anna"), ToleranceService(store, user="ben")
    version = anna.setup().version
    anna.update_setup(version, SetupChanges(pmt_disc_grace_days=3))
    [row] = trail(store, entity="application_setup")
    assert (row.user, row.action, row.key) == ("anna", "update", "1")
    assert changes(row) == {"pmt_disc_grace_days": [5, 3]}
    anna.change_payment_tolerance("0.5", "5")
    newest = trail(store, entity="application_setup")[0]
    assert newest.action == "change_payment_tolerance"
    assert changes(newest) == {"max_payment_tolerance": [0, 500],
                               "payment_tolerance_pct": ["0", "0.5"]}
    with pytest.raises(ConflictError, match=(
            rf"The application setup was changed by someone else meanwhile: anna {TIME}")):
        ben.update_setup(version, SetupChanges(payment_tolerance_warning=False))
    assert len(trail(store, entity="application_setup")) == 2


# --- journal lines and applies-to marks ---------------------------------------------------


def test_journal_line_and_mark_conflicts_name_the_clerk(store: Store) -> None:
    doc = invoice(store, "C001", "1000", INV_DAY)
    anna_j, ben_j = JournalService(store, user="anna"), JournalService(store, user="ben")
    batch = anna_j.batches("cash_receipt")[0].id
    line = anna_j.add_line(batch, JournalLineInput(LATE, "C001"))
    anna_j.update_line(line.id, line.version, {"amount": D("-400")})
    [row] = trail(store, entity="journal_line")
    assert (row.user, row.action, changes(row)["amount"]) == ("anna", "update", [0, -40000])
    with pytest.raises(ConflictError, match=rf"Journal line {line.line_no} was changed by "
                       rf"someone else meanwhile: anna {TIME}"):
        ben_j.update_line(line.id, line.version, {"amount": D("-500")})

    anna_a, ben_a = ApplicationService(store, user="anna"), ApplicationService(store, user="ben")
    view = ben_a.journal_apply_view(line.id)
    [entry] = view.entries
    fresh = ben_j.lines(batch)[0]
    anna_a.set_journal_applies_to(fresh.id, fresh.version, [entry.entry_no])
    mark = trail(store, entity="ledger_entry")[0]
    assert (mark.user, mark.action, changes(mark)["applies_to_id"]) == (
        "anna", "mark", ["", fresh.document_no])
    pay = payment(store, "C001", "100", LATE).ledger_entries[0].entry_no
    with pytest.raises(ConflictError, match=rf"anna {TIME}"):
        ben_a.set_applies_to_id(pay, [entry.entry_no],
                                versions={entry.entry_no: entry.version})
    assert any(r.document_no == doc for r in ben_a.journal_apply_view(line.id).entries)
    ben_j.delete_line(fresh.id)
    assert trail(store, entity="journal_line")[0].action == "delete"
    with pytest.raises(ConflictError,
                       match=rf"meanwhile: ben {TIME} \(delete: .*\); it is gone"):
        anna_j.update_line(fresh.id, fresh.version, {"amount": D("-1")})


# --- statement lines ------------------------------------------------------------------------


def test_apply_manually_accept_remove_are_audited_per_line(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)  # entry 1
    anna, jid = journal_with(store, [SL("130", "no idea", LATE)])
    line = anna.lines(jid)[0]
    anna.apply_manually(line.id, [(1, None)])
    recon(store, "ben").accept([line.id])
    anna.remove_applications([line.id])
    rows = trail(store, entity="statement_line")
    assert [(r.user, r.action) for r in rows] == [
        ("anna", "remove"), ("ben", "accept"), ("anna", "apply_manually")]
    assert {r.key for r in rows} == {f"BANK1/{anna.journal(jid).statement_no}/10000"}
    removed, accepted, applied = (changes(r) for r in rows)
    assert applied["account"] == ["", "customer C001"]
    assert applied["applications"] == ["", "entry 1 100.00"]
    assert applied["confidence"] == ["none", "manual"]
    assert applied["difference"] == ["130.00", "30.00"]
    assert accepted["applications"] == ["entry 1 100.00", "entry 1 100.00; on account 30.00"]
    assert accepted["confidence"] == ["manual", "accepted"]
    assert removed["account"] == ["customer C001", ""]
    assert removed["applied_amount"] == ["130.00", "0.00"]


def test_apply_automatically_writes_one_summary_entry(store: Store) -> None:
    for amount in ("100", "200", "300"):
        invoice(store, "C001", amount, INV_DAY)
    svc, jid = journal_with(store, [SL("100", "Adatum Corporation"), SL("555", "unknown"),
                                    SL("300", "Adatum Corporation")])
    svc.apply_automatically(jid)
    assert trail(store, entity="statement_line") == []
    run, opened = trail(store, entity="reconciliation_journal")
    assert (opened.action, changes(opened)) == ("add_statement_lines",
                                                {"lines_added": [None, 3]})
    assert (run.user, run.action) == ("anna", "apply_automatically")
    data = changes(run)
    assert data["lines"] == [3, 3]
    before, after = (int(str(n)) for n in data["applied_lines"])
    assert before == 0 and after >= 1
    assert run.note == f"{after} payment lines out of 3 are applied."
    with using_language("fr"):  # stored language-neutral: worded in the reader's language
        run_fr, _opened = trail(store, entity="reconciliation_journal")
        assert run_fr.note == f"{after} lignes de paiement sur 3 sont lettrées."


def test_transfer_difference_records_both_lines(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)
    svc, jid = journal_with(store, [SL("130", "no idea", LATE)])
    line = svc.lines(jid)[0]
    svc.apply_manually(line.id, [(1, None)])
    result = svc.transfer_difference(line.id, "gl_account", "6400", "Bank charges")
    assert result.new_line is not None
    rows = [r for r in trail(store, entity="statement_line")
            if r.action == "transfer_difference"]
    by_key = {r.key.rsplit("/", 1)[1]: changes(r) for r in rows}
    assert by_key["10000"]["amount"] == ["130.00", "100.00"]
    assert by_key[str(result.new_line.line_no)]["account"] == [None, "gl_account 6400"]


def test_map_text_and_delete_mapping_are_audited(store: Store) -> None:
    svc, jid = journal_with(store, [SL("-5", "MyBank fee", LATE)])
    line = svc.lines(jid)[0]
    m = svc.map_text_to_account(line.id, "MyBank", debit_acc_no="6400", credit_acc_no="6400")
    recon(store, "ben").delete_text_mapping(m.id)
    deleted, added = trail(store, entity="text_to_account_mapping")
    assert (added.user, added.action, added.key) == ("anna", "insert", str(m.id))
    assert changes(added)["mapping_text"] == [None, "MyBank"]
    assert "statement line BANK1/" in added.note
    assert (deleted.user, deleted.action) == ("ben", "delete")
    assert changes(deleted)["debit_acc_no"] == ["6400", None]


def test_statement_and_journal_edits_are_audited(store: Store) -> None:
    svc, jid = journal_with(store, [SL("10", "x", LATE)])
    svc.set_statement(jid, LATE, D("1010.00"))
    row = trail(store, entity="reconciliation_journal")[0]
    assert row.action == "update" and changes(row)["statement_ending_balance"][1] == 101000


def test_statement_import_is_one_entry(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "jan.xml", camt([Tx("100.00", ref="R1"), Tx("20.00", ref="R2")]))
    StatementImportService(store, user="anna").import_(path)
    StatementImportService(store, user="ben").import_(path)  # nothing new: no entry
    [row] = trail(store, entity="statement_import")
    assert (row.user, row.action, row.key) == ("anna", "import", "jan.xml")
    assert changes(row)["lines"] == [None, 2]
    assert "Imported 2 new line(s)" in row.note


# --- conflicts on statement lines, journals and ledger entries ------------------------------


def test_line_conflict_names_who_changed_the_line(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)
    anna, jid = journal_with(store, [SL("100", "no idea", LATE)])
    seen = anna.lines(jid)[0]
    anna.apply_manually(seen.id, [(1, None)])
    recon(store, "ben").set_statement(jid, LATE, D("100"))  # the journal, not the line
    with pytest.raises(ConflictError, match=(
            rf"Statement line 10000 was changed by someone else meanwhile: anna {TIME} "
            r"\(apply manually: Confidence: none → manual, Account: '' → customer C001")):
        recon(store, "carla").remove_applications([seen.id],
                                                  versions={seen.id: seen.version})


def test_line_conflict_after_apply_automatically_names_the_run(store: Store) -> None:
    invoice(store, "C001", "100", INV_DAY)
    _, jid = journal_with(store, [SL("100", "Adatum Corporation", LATE)])
    ben = recon(store, "ben")
    seen = ben.lines(jid)[0]
    recon(store, "carla").apply_automatically(jid)
    with pytest.raises(ConflictError, match=rf"meanwhile: carla {TIME} \(apply automatically"):
        ben.accept([seen.id], versions={seen.id: seen.version})


def test_journal_conflict_names_who(store: Store) -> None:
    anna, jid = journal_with(store, [SL("10", "x", LATE)])
    version = anna.journal(jid).version
    anna.set_statement(jid, LATE, D("1010"), version=version)
    with pytest.raises(ConflictError, match=rf"Statement 1 of bank account BANK1 was changed "
                       rf"by someone else meanwhile: anna {TIME}"):
        recon(store, "ben").apply_automatically(jid, version=version)


def test_ledger_entry_conflict_names_the_poster(store: Store) -> None:
    doc = invoice(store, "C001", "400", INV_DAY)
    stage(store, [SL("400", f"Adatum Corporation {doc}", LATE)])
    anna = recon(store, "anna")
    jid = anna.open_journal("BANK1").id
    anna.apply_automatically(jid)
    payment(store, "C001", "100", LATE, applies_to=doc, doc_no="CASH1")  # the OS user
    with store.read() as s:
        change = last_change(s, entry_nos=[1])
    assert change is not None and str(change.what).startswith("posted in register")
    with pytest.raises(ConflictError, match=rf"ledger entry 1 \(.*\) was changed by someone "
                       rf"else meanwhile: {change.user} {TIME} \(posted in register \d+\); "
                       r"reload and apply the statement line again"):
        anna.post(jid, reconcile=False)


def test_message_without_a_known_change_and_on_another_day() -> None:
    assert conflict_message("Journal line 3", None, "reload the journal") == (
        "Journal line 3 was changed by someone else meanwhile; reload the journal.")
    then = datetime(2025, 1, 2, 9, 5, tzinfo=UTC)
    text = conflict_message("Customer C1", LastChange("ben", then, ""), "reload",
                            now=then + timedelta(days=3))
    assert text.startswith("Customer C1 was changed by someone else meanwhile: ben on ")
    assert "(" not in text


# --- the trail cannot be changed ------------------------------------------------------------


def test_database_refuses_to_change_or_delete_the_trail(store: Store) -> None:
    PartyService(store, user="anna").update_party("customer", "C001", 1,
                                                  PartyChanges(blocked="all"))
    for statement in ("UPDATE auditentry SET \"user\" = 'mallory'",
                      "DELETE FROM auditentry"):
        with pytest.raises(DBAPIError, match="the audit trail cannot be changed"), \
                store.write() as s:
            s.execute(text(statement))
    [row] = trail(store)
    assert row.user == "anna"


def test_recorded_entry_rolls_back_with_the_change(store: Store) -> None:
    with pytest.raises(LettrageError), store.write() as s:
        audit.record(s, user="anna", action="update", entity="customer", key="C001",
                     changes={"blocked": ("", "all")})
        raise LettrageError("the change failed")
    assert trail(store) == []


# --- reading --------------------------------------------------------------------------------


def test_query_filters_and_pages_newest_first(store: Store) -> None:
    base = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with store.write() as s:
        for i in range(12):
            audit.record(s, user="anna" if i % 3 else "ben", action="update",
                         entity="vendor" if i % 2 else "customer", key=f"P{i}",
                         changes={"name": (f"old{i}", f"new{i}")},
                         at=base + timedelta(days=i))
    service = AuditQueryService(store)
    everything = list(service.iterate(page_size=5))
    assert [r.key for r in everything] == [f"P{i}" for i in range(11, -1, -1)]
    assert [r.key for r in service.iterate(AuditFilter(user="ben"))] == ["P9", "P6", "P3",
                                                                        "P0"]
    assert service.count(AuditFilter(entity="vendor")) == 6
    local = [r.at.astimezone().date() for r in everything]
    period = AuditFilter(since=local[-3], until=local[-5])
    assert {r.key for r in service.iterate(period)} == {"P2", "P3", "P4"}
    assert [r.key for r in service.iterate(limit=2)] == ["P11", "P10"]
    assert service.entry(everything[0].id).summary == "Name: old11 → new11"
    assert json.dumps(everything[0].as_json())  # plain JSON
    with pytest.raises(LettrageError, match="is after --until"):
        service.page(AuditFilter(since=date(2026, 3, 5), until=date(2026, 3, 1)))


def test_recorded_values_and_actions_are_worded_in_the_readers_language() -> None:
    """An account type recorded as 'gl_account 4900' and an action code read as words,
    in English and French; the JSON keeps what was stored."""
    changes = '{"account": ["", "gl_account 4900"]}'
    with using_language("en"):
        assert str(describe_changes(changes, action="transfer_difference")) == (
            "transfer difference: Account: '' → G/L account 4900")
    with using_language("fr"):
        text = str(describe_changes(changes, action="transfer_difference"))
    assert text == "transfert écart : Compte : '' → compte général 4900"
