"""What the collections screens share."""

from __future__ import annotations

from typing import Any

from tui.context import Context


def hub(ctx: Context) -> Any:
    """The collections services (``services.collections``)."""
    return ctx.services.collections  # type: ignore[attr-defined]


def money(ctx: Context, value: Any) -> str:
    return str(ctx.number_format.amount(value))
