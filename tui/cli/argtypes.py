"""Argument types and options the commands share: an ISO date, an amount in the clerk's
format, and the bank account every journal command names."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal

from core.i18n import _
from core.kernel.money import AmountError, parse_amount


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a date (YYYY-MM-DD)").format(
                                            text=text)) from None


def amount(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def bank_account_options(c: argparse.ArgumentParser) -> None:
    c.add_argument("--bank-account", metavar="NO", required=True)
    c.add_argument("--json", action="store_true")
