"""What the journal and ledger screens share for posting work: the services they need
(the app's typed ``Services``), the account lookups, and the
text of a posting result or preview."""

from __future__ import annotations

from collections.abc import Sequence

from core.i18n import _
from core.ledger.drafts import PostingResult
from core.queries.service import QueryService
from core.queries.types import LedgerFilter, PageRequest, PartyFilter
from screens.shared.columns import doc_type
from screens.shared.lookup import Search
from tui.context import AppServices, Context
from tui.widgets.formatting import NumberFormat, day, label

PostingServices = AppServices  # the journal and apply screens use the app's services


def posting_services(ctx: Context) -> AppServices:
    return ctx.services


def account_search(queries: QueryService, kind: str) -> Search | None:
    """The lookup for an account type, or for ``open:<party type>:<no>`` the party's
    open entries (None when the party is not given yet)."""
    if kind in ("customer", "vendor"):
        def parties(text: str) -> list[tuple[str, str]]:
            page = queries.parties(PartyFilter(kind, text), PageRequest(limit=60))
            return [
                (
                    r.no,
                    f"{r.no:<9} {r.name[:38]:<38} {r.city[:16]}"
                    + (_(" BLOCKED {blocked}").format(blocked=r.blocked) if r.blocked else ""),
                )
                for r in page.rows
            ]
        return parties
    if kind == "gl_account":
        def accounts(text: str) -> list[tuple[str, str]]:
            t = text.lower()
            return [(a.no, f"{a.no:<7} {a.name}") for a in queries.chart_of_accounts().rows
                    if a.account_type == "posting" and not a.blocked
                    and (a.no.startswith(text) or t in a.name.lower())]
        return accounts
    if kind == "bank_account":
        def banks(text: str) -> list[tuple[str, str]]:
            t = text.lower()
            return [(b.no, f"{b.no:<8} {b.name} {b.iban}") for b in
                    queries.bank_accounts().rows
                    if not b.blocked and (b.no.lower().startswith(t) or t in b.name.lower())]
        return banks
    if kind.startswith("open:"):
        _kind, party_type, no = kind.split(":", 2)
        if party_type not in ("customer", "vendor") or not no:
            return None

        def entries(text: str) -> list[tuple[str, str]]:
            page = queries.ledger_entries(LedgerFilter(party_type, no, open_only=True,
                                                       text=text), PageRequest(limit=100),
                                          "due_date")
            return [(e.document_no, _("{document_type:<8} {document_no:<10} due "
                                       "{due_date}  {remaining_amount:>12}").format(
                                       document_type=doc_type(e.document_type),
                                       document_no=e.document_no, due_date=day(e.due_date),
                                       remaining_amount=e.remaining_amount)) for e in page.rows]
        return entries
    return None


def posting_text(result: PostingResult, nf: NumberFormat, *, preview: bool,
                 heading: str = "") -> str:
    """The entries a posting wrote (or would write), as plain text for a panel.
    A preview leaves out the posting's messages ("Reversed ...": not done yet)."""
    rows = [heading or (_("Preview: nothing has been posted.") if preview else
                        _("Register {register_no}, transactions {map}.").format(
                            register_no=result.register_no, map=', '.join(map(str,
                            result.transaction_nos))))]
    if not preview:
        rows += list(result.messages)
    rows += _section(_("G/L entries"), [
        f"{g.gl_account_no:<6} {g.document_no:<10.10} {g.description[:28]:<28} "
        f"{nf.amount(g.amount):>13}" for g in result.gl_entries])
    rows += _section(_("Customer/vendor entries"), [
        _("{party_no:<7} {document_type:<8} {document_no:<10.10} {amount:>12} rem. "
           "{remaining_amount:>12}").format(party_no=e.party_no,
           document_type=doc_type(e.document_type), document_no=e.document_no,
           amount=nf.amount(e.amount), remaining_amount=nf.amount(e.remaining_amount))
        for e in result.ledger_entries])
    rows += _section(
        _("Detailed entries"),
        [
            _("entry {ledger_entry_no:<6} {value:<26} {document_no:<10.10} {amount:>12}").format(
                ledger_entry_no=d.ledger_entry_no,
                value=label(d.entry_type)[:26],
                document_no=d.document_no,
                amount=nf.amount(d.amount),
            )
            + (_(" (unapplied)") if d.unapplied else "")
            for d in result.detailed_entries
        ],
    )
    rows += _section(_("Bank entries"), [
        f"{b.bank_account_no:<6} {b.document_no:<10.10} {b.description[:28]:<28} "
        f"{nf.amount(b.amount):>13}" for b in result.bank_entries])
    return "\n".join(rows)


def _section(title: str, lines: Sequence[str]) -> list[str]:
    return ["", f"{title} ({len(lines)}):", *[f"  {ln}" for ln in lines]] if lines else []
