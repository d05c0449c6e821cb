"""Argument types and options the commands share: an ISO date, an amount in the clerk's
format, the bank account every journal command names, and ``later``: a command's
handler whose module is imported only when the command runs."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any

from core.i18n import _
from core.kernel.gcpause import gc_paused
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


def import_quickly(module: str) -> ModuleType:
    """``importlib.import_module`` with the cyclic collector paused: importing a
    command's modules defines hundreds of classes (tables, models), whose allocations
    would run the collector over and over for nothing (nothing imported is garbage).
    What was imported is then frozen out of the collector's later passes."""
    with gc_paused(freeze=True):
        return importlib.import_module(module)


def later(module: str, name: str, *first: Any) -> Callable[[argparse.Namespace, Any], int]:
    """The handler ``module.name``, imported when the command runs: building a
    subcommand's parser (and its ``--help``) then loads no service or table. ``first``:
    arguments passed before ``(args, ctx)`` (one handler serving several commands)."""
    def handler(args: argparse.Namespace, ctx: Any) -> int:
        return int(getattr(import_quickly(module), name)(*first, args, ctx))

    handler.__qualname__ = f"{module}.{name}"
    return handler
