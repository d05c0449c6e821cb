"""A conflict refused in one language is worded whole in the other: the error keeps its
message id and parameters (the record, who, when, the changed fields, the hint), so the
screen or command line of a French clerk shows it in French even when an English session
raised it, and the other way round. Runs on SQLite and PostgreSQL (``store`` fixture)."""

from __future__ import annotations

import pickle
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from core.application.journal import JournalLineInput, JournalService
from core.audit.conflicts import LastChange, conflict_error, describe_changes
from core.i18n import N_, using_language
from core.kernel.errors import ConflictError, Text
from core.kernel.store import Store
from core.ledger.parties import PartyChanges, PartyService

ENGLISH_WORDS = re.compile(r"\b(was|changed|someone|meanwhile|reload|Customer|Blocked|"
                           r"Privacy|Journal|line|at|on|edit|again|yes|no)\b")
FRENCH_WORDS = re.compile(r"\b(modifié|quelqu|entre-temps|Client|Bloqué|rechargez|"
                          r"feuille|ligne|à|le|oui|non)\b")


def _refused_party_change(store: Store, language: str) -> ConflictError:
    anna, ben = PartyService(store, user="anna"), PartyService(store, user="ben")
    anna.update_party("customer", "C001", 1, PartyChanges(blocked="all",
                                                          privacy_blocked=True))
    with using_language(language), pytest.raises(ConflictError) as refused:
        ben.update_party("customer", "C001", 1, PartyChanges(name="Ben's name"))
    return refused.value


def test_raised_in_english_shown_in_french(store: Store) -> None:
    error = _refused_party_change(store, "en")
    french = error.message_in("fr")
    assert french.startswith("Client C001 a été modifié(e) par quelqu'un d'autre entre-temps "
                             ": anna à "), french
    assert "Bloqué : '' → all" in french and "Bloqué (confidentialité) : non → oui" in french
    assert not ENGLISH_WORDS.search(french.replace("anna", "")), french
    english = error.message_in("en")
    assert english.startswith("Customer C001 was changed by someone else meanwhile: anna at ")
    assert "(Blocked: '' → all, Privacy blocked: no → yes)" in english
    assert english.endswith("; reload the card to see it, then edit again.")


def test_raised_in_french_shown_in_english(store: Store) -> None:
    error = _refused_party_change(store, "fr")
    english = error.message_in("en")
    assert not FRENCH_WORDS.search(english), english
    assert english.startswith("Customer C001 was changed by someone else meanwhile")
    with using_language("fr"):
        assert str(error) == error.message_in("fr")
        assert str(error).endswith(" ; rechargez la fiche pour voir la modification, puis "
                                   "modifiez de nouveau.")
    # the error crosses a worker or process boundary still language-neutral
    again = pickle.loads(pickle.dumps(error))
    assert again.message_in("fr") == error.message_in("fr")


def test_journal_line_conflict_in_both_languages(store: Store) -> None:
    anna, ben = JournalService(store, user="anna"), JournalService(store, user="ben")
    batch = anna.batches("cash_receipt")[0].id
    line = anna.add_line(batch, JournalLineInput(date(2025, 2, 3), "C001"))
    anna.update_line(line.id, line.version, {"amount": D("-400")})
    with using_language("en"), pytest.raises(ConflictError) as refused:
        ben.update_line(line.id, line.version, {"amount": D("-500")})
    error = refused.value
    assert error.params["what"] == Text(N_("Journal line {no}"), no=line.line_no)
    french = error.message_in("fr")
    assert french.startswith(f"La ligne de feuille {line.line_no} a été modifié(e) par "
                             "quelqu'un d'autre entre-temps : anna à "), french
    assert "(Montant : 0 → -40000)" in french, french
    assert french.endswith(" ; rechargez la feuille et réessayez."), french
    assert not ENGLISH_WORDS.search(french.replace("anna", "")), french


def test_the_date_of_a_change_on_another_day_follows_the_language() -> None:
    then = datetime(2025, 1, 2, 9, 5, tzinfo=UTC)
    error = conflict_error(Text(N_("Journal line {no}"), no=3),
                           LastChange("ben", then, describe_changes(
                               '{"blocked": ["", "all"]}', action="accept")),
                           N_("reload the journal and try again"),
                           now=then + timedelta(days=3))
    local = then.astimezone().date()
    assert local in (date(2025, 1, 2), date(2025, 1, 1), date(2025, 1, 3))
    english, french = error.message_in("en"), error.message_in("fr")
    assert f"ben on {local.isoformat()} at " in english and "(accept: Blocked: '' → all)" in english
    assert f"ben le {local:%d/%m/%Y} à " in french, french
    assert "(acceptation : Bloqué : '' → all) ; rechargez la feuille et réessayez." in french
    assert not ENGLISH_WORDS.search(french.replace("ben", "")), french
