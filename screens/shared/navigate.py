"""Opening another capability's screen without importing it: a screen posts ``Navigate``
and the app shell (``tui.navigation``, which knows every screen) opens the destination.
Screens import only what is below them, so no two screens import each other."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class Navigate(Message):
    """Open ``target`` (a name of ``tui.navigation``: a home destination, ``bank:NO``, or
    ``journal`` with ``bank_no`` and ``apply_after_open``) on top of the current screen."""

    def __init__(self, target: str, **params: Any) -> None:
        super().__init__()
        self.target = target
        self.params = params
