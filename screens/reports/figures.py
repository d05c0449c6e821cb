"""The customer card's figures (reports #19): balance, overdue, average days to pay
over the last 12 months, last payment and the aging line; t on the card opens the
statement."""

from __future__ import annotations

from core.i18n import _, format_amount, format_number
from core.reports.figures import CustomerFigures
from screens.reports.common import short_title, sparkline
from tui.widgets.formatting import day


def figure_lines(f: CustomerFigures) -> str:
    days = _("{days} days ({n} invoices)").format(
        days=format_number(f.avg_days_to_pay, 1), n=f.invoices_paid) \
        if f.avg_days_to_pay is not None else _("no invoice paid in the last 12 months")
    last = _("{day}: {amount}").format(day=day(f.last_payment_date),
                                       amount=format_amount(f.last_payment_amount)) \
        if f.last_payment_date else _("none")
    aging = "  ".join(f"{short_title(k)} {format_amount(a)}"
                      for k, a in zip(f.aging_keys, f.aging, strict=True) if a)
    balance, overdue, average = _("Balance"), _("Overdue"), _("Average days to pay")
    last_payment, aging_title = _("Last payment"), _("Aging")
    aging = aging or _("nothing open")
    return "\n".join([
        _("Figures at {day} (t: statement)").format(day=day(f.as_of)),
        f"{balance:<22}{format_amount(f.balance):>14}   {overdue:<10}"
        f"{format_amount(f.overdue):>14}",
        f"{average:<22}{days}",
        f"{last_payment:<22}{last}",
        f"{aging_title:<22}{sparkline(f.aging)} {aging}"])
