"""The ``lettrage`` commands of ``tui.cli.base`` (its parsers)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.users import os_user
from core.ledger.setup import create_company, has_company
from data.engine import normalize_url
from data.opening import where
from data.paths import default_database_url, log_file
from tui.cli.context import Context


def open_tui(ctx: Context) -> int:
    services = ctx.services
    if not has_company(services.store):
        raise LettrageError(N_("This database has no company yet: run 'lettrage demo' for a "
                            "demo company or 'lettrage init' for an empty one"))
    try:
        from tui.run import run_app  # Textual and every screen load only for the TUI
    except ModuleNotFoundError as exc:  # pragma: no cover - while the TUI is being built
        raise LettrageError(N_("The terminal UI is not installed in this build")) from exc

    run_app(services, log_file())
    return 0


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    create_company(ctx.services.store, args.name, args.currency)
    ctx.services.collections.setup.install_defaults()  # default reminder terms (#18)
    print(_("Created company {name} ({upper})").format(name=args.name,
             upper=args.currency.upper()))
    return 0


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from data.demo import build_demo  # the demo builder loads every capability

    if args.if_empty and has_company(ctx.services.store):
        return 0
    summary = build_demo(ctx.services.store, size=args.size, seed=args.seed)
    ctx.emit(asdict(summary), summary.describe)
    return 0


def cmd_load(args: argparse.Namespace, ctx: Context) -> int:
    from core.ledger.loading import LoadingService  # loaders only for load (start-up)

    service = LoadingService(ctx.services.store)
    kind = args.kind
    if kind == "payment-history":  # late payment prediction (#22)
        from tui.cli.prediction_run import cmd_load_history  # the prediction stack, when asked

        return cmd_load_history(args.file, ctx)
    if kind in ("customers", "vendors"):
        result = service.load_parties(kind[:-1], args.file)
    elif kind == "bank-accounts":  # with direct debit's optional dd_mandate_id column
        result = ctx.services.direct_debit.load_bank_accounts(args.file)
    elif kind == "dd-collections":  # SEPA direct debit (#20)
        result = ctx.services.direct_debit.load_collections(args.file)
    elif kind == "own-bank-accounts":
        result = service.load_own_bank_accounts(args.file)
    elif kind == "bank-entries":  # bank reconciliation's opening position
        # the bank reconciliation package only for this kind (start-up of the others)
        from core.bank_reconciliation.loading import load_bank_entries

        result = load_bank_entries(ctx.services.store, args.file)
    else:
        result = service.load_open_entries(args.file)
    ctx.emit(asdict(result), result.describe())
    return 0


def cmd_serve(args: argparse.Namespace, ctx: Context) -> int:
    from tui.serve import serve_app  # the web server (textual-serve, aiohttp) only for serve

    ctx.services.close()  # the company must exist before a browser comes
    url = normalize_url(ctx.db_url or default_database_url())
    serve_app(args.host, args.port, url, where(url), os_user(), args.public)
    return 0
