"""Flows the reconciliation screens share (the journal and the review queue): load the
G/L accounts for a dialog, Apply Manually on a line."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from core.reconciliation.types import CandidateView, LineView
from screens.application.support import account_search
from screens.reconciliation.apply_manually import ApplyManuallyModal
from screens.shared.base import BaseScreen
from tui.context import AppServices, Context

ReconServices = AppServices  # the reconciliation screens use the app's services


def recon_services(ctx: Context) -> AppServices:
    return ctx.services


def with_gl_accounts(screen: BaseScreen, then: Callable[[dict[str, str]], object]) -> None:
    """Load the G/L posting accounts (no. -> name) for a dialog that asks for one."""
    queries = screen.ctx.services.queries

    def load() -> dict[str, str]:
        return {a.no: a.name for a in queries.chart_of_accounts().rows
                if a.account_type == "posting" and not a.blocked}

    screen.query_core(load, then, group="gl-accounts")


def open_apply_manually(screen: BaseScreen, line: LineView,
                        then: Callable[[LineView], object]) -> None:
    """Load the candidates of ``line``, show Apply Manually, apply the clerk's choice in
    a worker and hand the updated line to ``then``."""
    svc = screen.ctx.services.reconciliation
    nf = screen.ctx.number_format

    def show(candidates: list[CandidateView]) -> None:
        def chosen(apps: list[tuple[int, Decimal | None]] | None) -> None:
            if apps is None:
                return
            screen.query_core(lambda: svc.apply_manually(line.id, apps), then,
                              group="apply-manually")

        queries = screen.ctx.services.queries
        screen.app.push_screen(ApplyManuallyModal(
            line, candidates, nf,
            load=lambda kind, no: svc.candidates(line.id, kind, no),
            lookups=lambda kind: account_search(queries, kind)), chosen)

    screen.query_core(lambda: svc.candidates(line.id), show, group="candidates")
