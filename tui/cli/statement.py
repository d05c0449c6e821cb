"""``lettrage statement ...``: parse, import (with dry run) and CSV profiles.

``parse`` needs no database: it shows what a file holds, so a clerk can check a new
bank's export before anything touches the books. ``import`` is the same code path the
TUI dialog uses (``StatementImportService``). ``profile guess`` lets a clerk teach
Lettrage a new bank's CSV layout without writing code; profiles are saved in the
user's config directory and win over the shipped ones.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.i18n import N_, _
from core.kernel.errors import LettrageError
from core.kernel.files import looks_binary, read_capped
from core.kernel.money import fmt
from core.statements import (
    FORMATS,
    Profile,
    ProfileError,
    Statement,
    guess_profile,
    list_profiles,
    load_profile,
    parse_file,
    parsed_to_dict,
    save_profile,
)
from core.statements.worded import record
from data.paths import config_dir
from tui.cli.context import Context

if TYPE_CHECKING:  # types only: parsing a file (no database) loads no service
    from core.reconciliation.service import ReconciliationService
    from core.reconciliation.types import JournalView
    from core.statements.importer import ImportPreview, ImportResult

TEXT_WIDTH = 50


def profiles_dir() -> Path:
    """Where a clerk's own CSV profiles live (created on first use)."""
    return config_dir() / "profiles"


def register(sub: Any) -> None:
    p = sub.add_parser("statement", help=N_("bank statements: parse, import, CSV profiles"))
    cmds = p.add_subparsers(dest="statement_command", metavar="ACTION", required=True)

    c = cmds.add_parser("parse", help=N_("show what a statement file holds (no database)"))
    _file_options(c)
    c.set_defaults(func=cmd_parse)

    c = cmds.add_parser("import", help=N_("import a statement file's new lines"))
    _file_options(c)
    c.add_argument("--bank-account", metavar="NO",
                   help=N_("bank account to import into (default: found by IBAN)"))
    c.add_argument("--dry-run", action="store_true", help=N_("only show what would be imported"))
    c.add_argument("--skip-suspicious", action="store_true",
                   help=N_("do not import lines that look like near duplicates"))
    c.add_argument("--no-apply", action="store_true",
                   help=N_("do not apply the new lines automatically (as the app does)"))
    c.set_defaults(func=cmd_import)

    _register_profile(cmds)


def _file_options(c: argparse.ArgumentParser) -> None:
    c.add_argument("file", type=Path)
    c.add_argument("--format", default="auto", choices=FORMATS)
    c.add_argument("--profile", metavar="NAME", help=N_("CSV profile (default: by header row)"))
    c.add_argument("--json", action="store_true")


def _register_profile(cmds: Any) -> None:
    p = cmds.add_parser("profile", help=N_("CSV profiles: guess, list, show"))
    acts = p.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    g = acts.add_parser("guess", help=N_("guess a profile from a bank's CSV export"))
    g.add_argument("file", type=Path)
    g.add_argument("--name", help=N_("profile name (default: the file name)"))
    g.add_argument("--currency", help=N_("currency of the account (when the file has none)"))
    g.add_argument("--account", help=N_("IBAN of the account (when the file has none)"))
    g.add_argument("--save", action="store_true", help=N_("save it in your profiles folder"))
    g.add_argument("--json", action="store_true")
    g.set_defaults(func=cmd_profile_guess)
    ls = acts.add_parser("list", help=N_("list the CSV profiles"))
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_profile_list)
    sh = acts.add_parser("show", help=N_("show one profile as JSON"))
    sh.add_argument("name")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=cmd_profile_show)


# --- parse ---------------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace, ctx: Context) -> int:
    parsed = parse_file(args.file, format=args.format, profile=args.profile,
                        profiles_dir=profiles_dir())
    data = parsed_to_dict(parsed)
    for statement in data["statements"]:
        for line in statement["lines"]:
            line.pop("raw", None)  # the bank's raw text is for the audit, not the screen

    def text() -> str:
        out = [_("{name}: {format}, {value}, {count} statement(s), {line_count} line(s)").format(
                  name=parsed.name, format=parsed.format, value=parsed.encoding or 'binary',
                  count=len(parsed.statements), line_count=parsed.line_count)]
        for st in parsed.statements:
            out += _statement_text(st)
        return "\n".join(out)

    ctx.emit(data, text)
    return 0


def _statement_text(st: Statement) -> list[str]:
    def money(value: Any) -> str:
        return "-" if value is None else fmt(value)

    out = [
        _("  statement {value} account {value2} {value3}  period {value4} – {value5}").format(
            value=st.name or "-",
            value2=st.account or "-",
            value3=st.currency or "",
            value4=st.period_start or "?",
            value5=st.period_end or "?",
        ),
        _("    opening {opening_balance} ({value})  closing {closing_balance} ({value2})").format(
            opening_balance=money(st.opening_balance),
            value=st.opening_date or "-",
            closing_balance=money(st.closing_balance),
            value2=st.closing_date or "-",
        ),
    ]
    out += [_("    warning: {w}").format(w=w) for w in st.warnings]
    for line in st.lines:
        words = " ".join(filter(None, [line.counterparty_name, line.remittance]))
        out.append(f"    {line.booking_date or '?'} {fmt(line.amount):>14}  "
                   f"{(line.bank_reference or '')[:20]:<20} {words[:TEXT_WIDTH]}")
    return out


# --- import --------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.services.statement_import
    options = {"format": args.format, "profile": args.profile, "profiles_dir": profiles_dir()}
    if args.dry_run:
        preview = service.preview(args.file, args.bank_account, **options)
        ctx.emit(preview_dict(preview), preview.describe)
        return 0
    result = service.import_(args.file, args.bank_account, skip_suspicious=args.skip_suspicious,
                             **options)
    # as the app does: the new lines go into the bank's journal and are applied at once
    applied = [] if args.no_apply or not result.imported else apply_imported(ctx, result)
    # the JSON of 10,000 lines is only built when asked for
    data = None
    if ctx.json:
        data = result_dict(result)
        data["applied"] = [_applied_dict(v) for v in applied]
    ctx.emit(data, lambda: "\n".join([_result_text(result), *(_applied_text(v)
                                                               for v in applied)]))
    return 0


def apply_imported(ctx: Any, result: ImportResult) -> list[JournalView]:
    """Open the journal of every bank that got new lines and apply automatically."""
    banks = dict.fromkeys(sp.bank_account_no for sp in result.preview.statements
                          if sp.new or sp.suspicious)
    # the app's service: with the extensions (direct debit batches and returns)
    service: ReconciliationService = ctx.services.reconciliation
    views = []
    for bank in banks:
        opened = service.open_journal(bank)
        with service.claims.hold(opened.id):
            views.append(service.apply_automatically(opened.id))
    return views


def _applied_dict(v: JournalView) -> dict[str, Any]:
    return {"bank_account_no": v.bank_account_no, "statement_no": v.statement_no,
            "lines": v.line_count, "applied": v.applied_lines,
            "to_review": v.lines_to_review, "with_difference": v.lines_with_difference}


def _applied_text(v: JournalView) -> str:
    return _("Applied automatically in the journal of {bank} (statement {statement_no}): "
             "{applied} of {lines} lines applied, {review} to review, {difference} with a "
             "difference. Next: lettrage reconcile lines --bank-account {bank}").format(
                 bank=v.bank_account_no, statement_no=v.statement_no, applied=v.applied_lines,
                 lines=v.line_count, review=v.lines_to_review,
                 difference=v.lines_with_difference)


def _result_text(result: ImportResult) -> str:
    warnings = [_("  warning: {w}").format(w=w) for w in result.preview.warnings]
    return "\n".join([result.message, *warnings])


def preview_dict(preview: ImportPreview) -> dict[str, Any]:
    """The preview as JSON-able data (amounts as strings)."""
    return {
        "file": preview.file_name, "sha256": preview.file_sha256, "format": preview.format,
        "new": preview.total("new"), "duplicate": preview.total("duplicate"),
        "suspicious": preview.total("suspicious"), "skipped": preview.total("skipped"),
        "earlier_imports": list(preview.earlier_imports),
        "statements": [{
            "label": str(sp.label), "bank_account_no": sp.bank_account_no, "currency": sp.currency,
            "period_start": sp.period_start, "period_end": sp.period_end,
            "new": sp.new, "duplicate": sp.duplicate, "suspicious": sp.suspicious,
            "skipped": sp.skipped, "balance_continues": sp.balance_continues,
            "balance_note": str(sp.balance_note), "warnings": [str(w) for w in sp.warnings],
            # the same warnings language-neutral: message id and parameters
            "warning_messages": [record(w) for w in sp.warnings],
            "lines": [{"line_no": v.line_no, "booking_date": v.booking_date,
                       "amount": str(v.amount), "currency": v.currency,
                       "counterparty": v.counterparty, "remittance": v.remittance,
                       "bank_reference": v.bank_reference, "kind": v.kind,
                       "reason": v.reason, "occurrence": v.occurrence} for v in sp.lines],
        } for sp in preview.statements],
    }


def result_dict(result: ImportResult) -> dict[str, Any]:
    return {**preview_dict(result.preview), "imported": result.imported,
            "skipped_suspicious": result.skipped_suspicious,
            "import_ids": list(result.import_ids), "message": result.message}


# --- profiles ------------------------------------------------------------------------------


def cmd_profile_guess(args: argparse.Namespace, ctx: Context) -> int:
    data = read_capped(args.file)
    if looks_binary(data):
        raise LettrageError(_("{file}: binary data, not a bank's CSV export").format(
                               file=args.file))
    name = args.name or args.file.stem
    try:
        guessed = guess_profile(data, name)
    except (csv.Error, ValueError) as exc:
        raise LettrageError(_("{file}: cannot guess a CSV profile ({exc})").format(
                               file=args.file, exc=exc)) from None
    profile = _with_overrides(guessed, args.currency, args.account)
    check = _try_profile(args.file, profile)
    saved = str(save_profile(profile, profiles_dir())) if args.save else None
    result = {"profile": profile.to_dict(), "check": check, "saved_to": saved}

    def text() -> str:
        out = [json.dumps(profile.to_dict(), indent=2, ensure_ascii=False), check]
        out.append(_("Saved to {saved}").format(saved=saved) if saved else
                   _("Review the mapping; run again with --save to keep it."))
        return "\n".join(out)

    ctx.emit(result, text)
    return 0


def _with_overrides(profile: Profile, currency: str | None, account: str | None) -> Profile:
    changes: dict[str, Any] = {}
    if currency:
        changes["currency"] = currency.upper()
    if account:
        changes["account"] = account.replace(" ", "").upper()
    try:
        return dataclasses.replace(profile, **changes) if changes else profile
    except ProfileError as exc:
        raise LettrageError(str(exc)) from None


def _try_profile(path: Path, profile: Profile) -> str:
    """Read the file with the guessed profile, so the clerk sees whether it works."""
    try:
        parsed = parse_file(path, format="csv", profile=profile)
    except LettrageError as exc:
        return _("With this profile the file does not read yet: {exc}").format(exc=exc)
    lines = [ln for st in parsed.statements for ln in st.lines]
    if not lines:
        return _("With this profile the file reads, but holds no line.")
    first = lines[0]
    return (_("With this profile the file reads {count} line(s); the first: {booking_date} "
              "{amount} {value}").format(
                count=len(lines), booking_date=first.booking_date, amount=fmt(first.amount),
                value=first.counterparty_name or '').rstrip())


def cmd_profile_list(args: argparse.Namespace, ctx: Context) -> int:
    profiles = _profiles()
    data = [{"name": p.name, "description": p.description} for p in profiles]
    ctx.emit(data, lambda: "\n".join(f"{p.name:<28} {p.description}" for p in profiles)
             or _("No CSV profile yet."))
    return 0


def cmd_profile_show(args: argparse.Namespace, ctx: Context) -> int:
    try:
        profile = load_profile(args.name, profiles_dir())
    except ProfileError as exc:
        raise LettrageError(str(exc)) from None
    text = json.dumps(profile.to_dict(), indent=2, ensure_ascii=False)
    ctx.emit(profile.to_dict(), text)
    return 0


def _profiles() -> list[Profile]:
    try:
        return list_profiles(profiles_dir())
    except ProfileError as exc:
        raise LettrageError(str(exc)) from None


__all__ = ["preview_dict", "register", "result_dict"]
