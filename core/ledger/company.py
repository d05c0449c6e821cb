"""The company table (id 1: the general ledger and application setup) and the money
column type every table uses. Its own module so a command that only reads the setup
(``lettrage setup show``) defines no other table; ``core.ledger.models`` re-exports both.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel


def money_field(default: int = 0, **kw: Any) -> Any:
    """An integer minor-units column."""
    return Field(default=default, sa_type=BigInteger, **kw)


# --- setup -----------------------------------------------------------------------------


class Company(SQLModel, table=True):
    """The one company of a database (id 1) and its general ledger / application setup."""

    id: int = Field(default=1, primary_key=True)
    name: str
    currency: str = "EUR"
    allow_posting_from: date | None = None
    allow_posting_to: date | None = None
    # Application setup (BC General Ledger Setup, Application FastTab).
    pmt_disc_grace_days: int = 0
    payment_tolerance_pct: str = "0"  # Decimal as text: a rate, not money
    max_payment_tolerance: int = money_field()
    payment_tolerance_warning: bool = True
    pmt_disc_tolerance_warning: bool = True
    payment_tolerance_posting: str = "payment_tolerance_accounts"
    pmt_disc_tolerance_posting: str = "payment_discount_accounts"
    appln_rounding_precision: int = money_field()
    version: int = 1
