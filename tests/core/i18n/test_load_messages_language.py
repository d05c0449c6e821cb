"""What a load or a date check says is kept language-neutral until shown: the same
refusal reads in French or English, whoever raised it (issue #16)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from core.i18n import using_language
from core.kernel.bounds import check_date
from core.ledger.load_csv import PreviousLoad, RowError
from core.ledger.load_rules import check_sign
from core.ledger.loading import LoadResult


def test_a_date_out_of_range_reads_in_either_language() -> None:
    problem = check_date(date(1, 1, 1))
    assert problem is not None
    with using_language("en"):
        assert str(problem) == "0001-01-01 is outside 1900-2200; check the year"
    with using_language("fr"):
        assert str(problem) == "0001-01-01 est hors de 1900-2200 ; vérifiez l'année"
    assert check_date(date(2026, 12, 3)) is None


def test_a_wrong_sign_names_the_document_in_the_readers_language() -> None:
    with using_language("en"):
        problem = check_sign("customer", "credit_memo", Decimal("100.00"))
    assert problem is not None
    error = RowError("amount", problem.message_id, **problem.params)
    with using_language("en"):
        assert str(error) == ("a customer credit memo has a negative amount in the ledger, "
                              "not 100.00")
    with using_language("fr"):
        assert str(error) == ("un avoir client a un montant négatif dans la comptabilité, "
                              "pas 100,00")
    assert check_sign("customer", "invoice", Decimal("5")) is None


def test_load_results_are_worded_with_plurals_and_the_kind_in_words() -> None:
    one = LoadResult("open-entries", "entries.csv", 1, 1)
    many = LoadResult("open-entries", "entries.csv", 3, 3)
    with using_language("en"):
        assert one.describe() == "Loaded 1 open entries from entries.csv (1 row read, 1 loaded)"
        assert many.describe() == ("Loaded 3 open entries from entries.csv (3 rows read, "
                                   "3 loaded)")
    with using_language("fr"):
        assert many.describe() == ("Chargement de entries.csv terminé : 3 écritures "
                                   "ouvertes (3 lignes lues)")
    again = PreviousLoad(datetime(2026, 12, 3, 9, 30), "anna", 2, "old.csv")
    with using_language("fr"):
        text = again.describe(Path("entries.csv"))
    assert text == ("entries.csv a déjà été chargé le 2026-12-03 09:30 par anna (2 lignes, "
                    "sous le nom old.csv) : rien n'est chargé de nouveau")
