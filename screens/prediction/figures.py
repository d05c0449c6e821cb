"""The prediction figure of a customer card (and its words), shared by the screens."""

from __future__ import annotations

from core.prediction.service import ModelStatus, PredictionView
from tui.widgets.formatting import day


def prediction_lines(status: ModelStatus, views: list[PredictionView]) -> str:
    """"Payment prediction" block: how many open invoices are predicted late, and why
    for the first one (soonest due)."""
    if not status.usable:
        return f"Payment prediction\n{status.message}"
    if not views:
        return "Payment prediction\nNo open invoice not yet due."
    late = [v for v in views if v.late]
    lines = [f"Payment prediction: {len(late)} of {len(views)} open invoices not yet due "
             "predicted late"]
    for v in (late or views)[:1]:
        lines.append(f"{v.document_no} due {day(v.due_date)}: "
                     f"{'Late' if v.late else 'On time'} ({v.confidence} {v.confidence_pct}%),"
                     f" expected {day(v.expected_payment_date)}")
        lines += [f"  - {r}" for r in v.reasons]
    return "\n".join(lines)
