"""Words of the reports, translated at use: bucket titles and document kinds."""

from __future__ import annotations

from core.i18n import N_, _

DOC_TYPES = {"invoice": N_("Invoice"), "credit_memo": N_("Credit Memo"),
             "payment": N_("Payment"), "refund": N_("Refund"), "reminder": N_("Reminder"),
             "finance_charge_memo": N_("Finance Charge Memo")}
ENTRY_TYPES = {"payment_discount": N_("Payment discount"),
               "payment_tolerance": N_("Payment tolerance"),
               "payment_discount_tolerance": N_("Payment discount tolerance"),
               "rounding": N_("Rounding")}


def bucket_title(key: str) -> str:
    """A bucket key (current, 1-30, over_90) as the customer or clerk reads it."""
    if key == "current":
        return _("Not due")
    if key.startswith("over_"):
        return _("Over {days} days").format(days=key[5:])
    return _("{range} days").format(range=key)


def entry_text(entry_type: str, document_type: str, document_no: str) -> str:
    """``Invoice SI0001``, ``Payment discount PAY1``."""
    if entry_type in ENTRY_TYPES:
        return f"{_(ENTRY_TYPES[entry_type])} {document_no}".strip()
    kind = _(DOC_TYPES[document_type]) if document_type in DOC_TYPES else document_type
    return f"{kind} {document_no}".strip()
