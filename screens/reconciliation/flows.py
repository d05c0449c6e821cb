"""Flows the reconciliation screens share (the journal and the review queue): load the
G/L accounts for a dialog about a line, Apply Manually on a line.

``ReconFlows`` is the base of both screens; its workers post typed messages that the
screen handles: ``AccountsLoaded`` (open the dialog named by ``purpose``) and
``LineAppliedManually`` (after the clerk's choice in Apply Manually was applied)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from core.reconciliation.types import CandidateView, LineView
from screens.application.support import account_search
from screens.reconciliation.apply_manually import ApplyManuallyModal
from screens.shared.base import BaseScreen
from tui.context import AppServices, Context
from tui.messages import Outcome
from tui.workers import core_worker

ReconServices = AppServices  # the reconciliation screens use the app's services
Purpose = Literal["transfer", "map_text"]


def recon_services(ctx: Context) -> AppServices:
    return ctx.services


@dataclass
class AccountsLoaded(Outcome, namespace="recon_flows"):
    """The G/L posting accounts (no. -> name) for the dialog ``purpose`` on ``line``."""
    names: dict[str, str]
    purpose: Purpose
    line: LineView


@dataclass
class CandidatesLoaded(Outcome, namespace="recon_flows"):
    """The open entries ``line`` may be applied to (Apply Manually's list)."""
    line: LineView
    candidates: list[CandidateView]


@dataclass
class LineAppliedManually(Outcome, namespace="recon_flows"):
    """The clerk's choice in Apply Manually was applied; ``line`` as it is now."""
    line: LineView


class ReconFlows(BaseScreen):
    """The shared flows; subclasses handle ``on_recon_flows_accounts_loaded`` and
    ``on_recon_flows_line_applied_manually``."""

    def with_gl_accounts(self, purpose: Purpose, line: LineView) -> None:
        """Load the G/L posting accounts for a dialog that asks for one."""
        self._load_gl_accounts(purpose, line)

    @core_worker("gl-accounts")
    def _load_gl_accounts(self, purpose: Purpose, line: LineView) -> AccountsLoaded:
        names = {a.no: a.name for a in self.ctx.services.queries.chart_of_accounts().rows
                 if a.account_type == "posting" and not a.blocked}
        return AccountsLoaded(names, purpose, line)

    def open_apply_manually(self, line: LineView) -> None:
        """Load the candidates of ``line``, show Apply Manually, apply the clerk's choice
        in a worker (``LineAppliedManually``)."""
        self._load_candidates(line)

    @core_worker("candidates")
    def _load_candidates(self, line: LineView) -> CandidatesLoaded:
        return CandidatesLoaded(line, self.ctx.services.reconciliation.candidates(line.id))

    def on_recon_flows_candidates_loaded(self, message: CandidatesLoaded) -> None:
        line = message.line

        def chosen(apps: list[tuple[int, Decimal | None]] | None) -> None:
            if apps is not None:
                self._apply_manually(line.id, apps)

        svc, queries = self.ctx.services.reconciliation, self.ctx.services.queries
        self.app.push_screen(ApplyManuallyModal(
            line, message.candidates, self.ctx.number_format,
            load=lambda kind, no: svc.candidates(line.id, kind, no),
            lookups=lambda kind: account_search(queries, kind)), chosen)

    @core_worker("apply-manually")
    def _apply_manually(self, line_id: int, apps: list[tuple[int, Decimal | None]]
                        ) -> LineAppliedManually:
        return LineAppliedManually(
            self.ctx.services.reconciliation.apply_manually(line_id, apps))
