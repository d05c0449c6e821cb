"""The footer every screen uses: the keys that fit, whole, and F1 for the rest.

Textual's footer lays every shown key side by side and lets the right end fall off the
screen (``k Map te▏`` at 80 columns, worse in French). This one measures each key before
showing it: keys are taken in the screen's order (the most used first: the order of the
BINDINGS lists, or a screen's ``FOOTER_FIRST`` actions), a key that does not fit
whole is left out, and when anything was left out the help key says so ("F1 More keys");
every key stays in the F1 help, which lists all of them. Nothing here depends on the
language: French descriptions are longer, so fewer of them fit, none is cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from core.i18n import _

FUNCTION_KEY = re.compile(r"f\d{1,2}")
HELP_ACTION = "help"  # the app's F1 action (tui.app)


@dataclass(frozen=True)
class ShownKey:
    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells the key takes in the footer: `` KEY description `` (Textual's padding)."""
        return cell_len(self.key_display) + 2 + cell_len(self.description) + 1


def fit_keys(keys: list[ShownKey], width: int, help_key: ShownKey | None) -> list[ShownKey]:
    """The keys that fit whole in ``width`` cells, in order; the help key last, kept
    always (as "More keys" when some key was left out)."""
    if help_key is not None and sum(k.width for k in keys) + help_key.width > width:
        help_key = ShownKey(help_key.key, help_key.key_display, _("More keys"),
                            help_key.action, help_key.enabled, help_key.tooltip)
    room = width - (help_key.width if help_key else 0)
    shown: list[ShownKey] = []
    for key in keys:
        if key.width <= room:
            shown.append(key)
            room -= key.width
    return [*shown, help_key] if help_key is not None else shown


class FitFooter(Footer):
    """A footer that never cuts a key (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._width = 0

    def _shown_keys(self) -> tuple[list[ShownKey], ShownKey | None]:
        seen: set[str] = set()
        keys: list[ShownKey] = []
        help_key: ShownKey | None = None
        active = self.screen.active_bindings
        palette = (active.get(self.app.COMMAND_PALETTE_BINDING)
                   if self.app.ENABLE_COMMAND_PALETTE else None)
        for _key, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = ShownKey(binding.key, self._display(binding),
                             binding.description, binding.action, enabled,
                             tooltip or binding.tooltip)
            if binding.action in (HELP_ACTION, f"app.{HELP_ACTION}"):
                help_key = shown
            else:
                keys.append(shown)
        ordered = _ordered(keys, getattr(self.screen, "FOOTER_FIRST", ()))
        if palette is not None and palette.binding.action not in seen:  # Ctrl+P last
            binding = palette.binding
            ordered.append(ShownKey(binding.key, self._display(binding),
                                    binding.description, binding.action, palette.enabled,
                                    binding.tooltip))
        return ordered, help_key

    def _display(self, binding: Binding) -> str:
        shown = self.app.get_key_display(binding)
        return shown.upper() if FUNCTION_KEY.fullmatch(shown) else shown  # f1 -> F1

    def _available(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._width = self._available()
        keys, help_key = self._shown_keys()
        for key in fit_keys(keys, self._width, help_key):
            yield FooterKey(key.key, key.key_display, key.description, key.action,
                            disabled=not key.enabled,
                            tooltip=key.tooltip).data_bind(compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width and self._bindings_ready:
            self.call_after_refresh(self.recompose)


def _ordered(keys: list[ShownKey], first: Iterable[str]) -> list[ShownKey]:
    """``keys`` with the actions named in ``first`` (binding actions) moved to the front."""
    order = {action: i for i, action in enumerate(first)}
    return sorted(keys, key=lambda k: order.get(k.action, len(order)))

