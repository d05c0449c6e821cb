"""Applying ledger entries to each other: payment discount, payment discount tolerance
and payment tolerance as Business Central computes them. Pure calculation; the posting
engine turns an ``ApplicationPlan`` into detailed ledger entries and G/L entries."""

from core.application.plan import plan_application, preview_warnings, validate
from core.application.registration import (
    OVERDUE_NOTICE,
    PARTIAL_NOTICE,
    RegistrationResult,
    default_amount_received,
    registration_remaining,
)
from core.application.rules import (
    max_payment_tolerance,
    pmt_disc_tolerance_date,
    share_tolerance,
)
from core.application.totals import ApplyEntriesTotals, apply_entries_totals
from core.application.types import (
    APPLICATION,
    CONTROL_ACCOUNT,
    AccountKind,
    Adjustment,
    AdjustmentKind,
    ApplicationPlan,
    ApplicationWarning,
    AppliedLine,
    Decisions,
    DetailedLine,
    GLLine,
    LateDiscountWarning,
    OpenEntry,
    PaymentToleranceWarning,
    ToleranceSetup,
)

__all__ = [
    "APPLICATION",
    "CONTROL_ACCOUNT",
    "OVERDUE_NOTICE",
    "PARTIAL_NOTICE",
    "AccountKind",
    "Adjustment",
    "AdjustmentKind",
    "ApplicationPlan",
    "ApplicationWarning",
    "AppliedLine",
    "ApplyEntriesTotals",
    "Decisions",
    "DetailedLine",
    "GLLine",
    "LateDiscountWarning",
    "OpenEntry",
    "PaymentToleranceWarning",
    "RegistrationResult",
    "ToleranceSetup",
    "apply_entries_totals",
    "default_amount_received",
    "max_payment_tolerance",
    "plan_application",
    "pmt_disc_tolerance_date",
    "preview_warnings",
    "registration_remaining",
    "share_tolerance",
    "validate",
]
