"""The prediction figure of a customer card (and its words), shared by the screens."""

from __future__ import annotations

from typing import Any

from core.i18n import _
from core.kernel.errors import LettrageError
from core.prediction.service import ModelStatus, PredictionService, PredictionView, draft_from
from tui.widgets.formatting import day


def prediction_lines(status: ModelStatus, views: list[PredictionView]) -> str:
    """"Payment prediction" block: how many open invoices are predicted late, and why
    for the first one (soonest due)."""
    if not status.usable:
        return _("Payment prediction\n{message}").format(message=status.message)
    if not views:
        return _("Payment prediction\nNo open invoice not yet due.")
    late = [v for v in views if v.late]
    lines = [
        _(
            "Payment prediction: {count} of {count2} open invoices not yet due predicted late"
        ).format(count=len(late), count2=len(views))
    ]
    for v in (late or views)[:1]:
        lines.append(_("{document_no} due {due_date}: {value} ({confidence} "
                        "{confidence_pct}%), expected {expected_payment_date}").format(
                        document_no=v.document_no, due_date=day(v.due_date),
                        value=_('Late') if v.late else _('On time'), confidence=_(v.confidence),
                        confidence_pct=v.confidence_pct,
                        expected_payment_date=day(v.expected_payment_date)))
        lines += [f"  - {r}" for r in v.reasons]
    return "\n".join(lines)


def draft_prediction_line(prediction: PredictionService, doc: Any) -> str:
    """One line on an unposted sales invoice's card: its prediction as known on its
    posting date, and the strongest reason; or why there is none. Runs in a worker."""
    try:
        views = prediction.score_drafts([draft_from(doc)])
    except LettrageError as exc:
        return _("Payment prediction: {message}").format(message=exc)
    v = views[0]
    verdict = _("Late") if v.late else _("On time")
    text = _("Payment prediction: {verdict} ({confidence} {pct}%), expected {day}").format(
        verdict=verdict, confidence=_(v.confidence), pct=v.confidence_pct,
        day=day(v.expected_payment_date))
    return text + (f" — {v.reasons[0]}" if v.reasons else "")
