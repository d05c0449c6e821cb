"""Default collections setup of a new company (French/EU practice).

Reminder terms ``RELANCE``: a friendly reminder, a second reminder and a formal notice
(mise en demeure) that charges the statutory fixed recovery fee of EUR 40 (Code de
commerce L441-10, EU directive 2011/7) and late-payment interest. Finance charge terms
``PENALITES``: late-payment interest at the ECB rate + 10 points (12.15 % a year from
2025-07-01, 13.15 % before), Average Daily Balance over 365 days.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from core.collections.models import (
    CollectionText,
    FinanceChargeRate,
    FinanceChargeTerms,
    ReminderLevel,
    ReminderTerms,
)
from core.i18n import N_, _
from core.ledger.models import NoSeries

SERIES = {"reminder": "REMINDER", "issued_reminder": "ISS-REM",
          "finance_charge": "FIN-CHRG", "issued_finance_charge": "ISS-FIN"}
# code, description, prefix, width
NO_SERIES = (("REMINDER", N_("Reminders"), "RM", 6),
             ("ISS-REM", N_("Issued reminders"), "IRM", 6),
             ("FIN-CHRG", N_("Finance charge memos"), "FC", 6),
             ("ISS-FIN", N_("Issued finance charge memos"), "IFC", 6))

REMINDER_TERMS = "RELANCE"
FINANCE_TERMS = "PENALITES"

# level no, grace, due date calc., fee (minor units), calculate interest
LEVELS = ((1, "5D", "8D", 0, False), (2, "7D", "8D", 0, False),
          (3, "7D", "15D", 4000, True))

# (level, language, position, text)
TEXTS: tuple[tuple[int, str, str, str], ...] = (
    (1, "fr", "beginning", "Sauf erreur de notre part, les factures ci-dessous restent "
     "impayées à ce jour (%1)."),
    (1, "fr", "ending", "Merci de régler %9 %7 avant le %2. Si votre paiement nous est "
     "parvenu entre-temps, veuillez ne pas tenir compte de ce courrier."),
    (2, "fr", "beginning", "Malgré notre première relance, les factures ci-dessous "
     "restent impayées."),
    (2, "fr", "ending", "Nous vous prions de régler %9 %7 au plus tard le %2."),
    (3, "fr", "beginning", "Mise en demeure de payer. Les factures ci-dessous restent "
     "impayées malgré nos relances."),
    (3, "fr", "ending", "Sans règlement de %9 %7 (dont intérêts %5 et indemnité "
     "forfaitaire %6) avant le %2, nous engagerons une procédure de recouvrement."),
    (1, "", "beginning", "According to our records, the invoices below are still unpaid "
     "as of %1."),
    (1, "", "ending", "Please pay %9 %7 by %2. If you have paid in the meantime, please "
     "disregard this letter."),
    (2, "", "beginning", "Despite our first reminder, the invoices below are still unpaid."),
    (2, "", "ending", "Please pay %9 %7 by %2 at the latest."),
    (3, "", "beginning", "Formal notice to pay. The invoices below are still unpaid "
     "despite our reminders."),
    (3, "", "ending", "Unless %9 %7 (including interest %5 and the fixed recovery fee %6) "
     "is paid by %2, we will start recovery proceedings."),
)
FINANCE_TEXTS: tuple[tuple[str, str, str], ...] = (
    ("fr", "beginning", "Pénalités de retard au taux de %3 % l'an sur les factures "
     "payées ou restant dues après leur échéance."),
    ("fr", "ending", "Merci de régler %8 %7 avant le %2."),
    ("", "beginning", "Late-payment interest at %3 % a year on invoices paid or still "
     "due after their due date."),
    ("", "ending", "Please pay %8 %7 by %2."),
)


def ensure_series(s: Session) -> None:
    """Add the collections number series a database does not have yet (once per
    session: a bulk issue calls it for every reminder)."""
    if s.info.get("collections_series"):
        return
    for code, desc, prefix, width in NO_SERIES:
        if s.get(NoSeries, code) is None:
            s.add(NoSeries(code=code, description=_(desc), prefix=prefix, width=width))
    s.flush()
    s.info["collections_series"] = True


def add_defaults(s: Session) -> bool:
    """Add the default terms (once; False when reminder terms exist already)."""
    ensure_series(s)
    if s.get(ReminderTerms, REMINDER_TERMS) is not None:
        return False
    s.add(ReminderTerms(code=REMINDER_TERMS, description=_("Reminders (3 levels)"),
                        max_no_of_reminders=3, minimum_amount=1000,
                        post_interest=True, post_additional_fee=True))
    s.add(FinanceChargeTerms(code=FINANCE_TERMS, description=_("Late-payment interest ECB+10"),
                             interest_rate="12.15", interest_period_days=365,
                             minimum_amount=500, grace_period="0D",
                             due_date_calculation="15D", interest_on="all",
                             line_description=_("Late-payment interest, {days} days at "
                                                "{rate} %")))
    s.flush()
    for no, grace, due, fee, interest in LEVELS:
        s.add(ReminderLevel(terms_code=REMINDER_TERMS, no=no, grace_period=grace,
                            due_date_calculation=due, additional_fee=fee,
                            calculate_interest=interest))
    s.add(FinanceChargeRate(terms_code=FINANCE_TERMS, start_date=date(2025, 1, 1),
                            interest_rate="13.15", interest_period_days=365))
    s.add(FinanceChargeRate(terms_code=FINANCE_TERMS, start_date=date(2025, 7, 1),
                            interest_rate="12.15", interest_period_days=365))
    for i, (level, language, position, text) in enumerate(TEXTS):
        s.add(CollectionText(kind="reminder", terms_code=REMINDER_TERMS, level_no=level,
                             language=language, position=position, line_no=i, text=text))
    for i, (language, position, text) in enumerate(FINANCE_TEXTS):
        s.add(CollectionText(kind="finance_charge", terms_code=FINANCE_TERMS, level_no=0,
                             language=language, position=position, line_no=i, text=text))
    s.flush()
    return True
