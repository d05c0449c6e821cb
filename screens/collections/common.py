"""What the collections screens share."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from core.collections.hub import CollectionsHub
from tui.context import Context


def hub(ctx: Context) -> CollectionsHub:
    """The collections services (``services.collections``)."""
    return ctx.services.collections


def money(ctx: Context, value: Any) -> str:
    return str(ctx.number_format.amount(value))


def right(ctx: Context, value: Any) -> Text:
    """An amount right-aligned in its column (one blank on the right)."""
    return Text(money(ctx, value) + " ", justify="right")
