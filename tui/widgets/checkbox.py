"""A checkbox that reads the same without colour: ``[x]`` ticked, ``[ ]`` not.

Textual's checkbox draws ``▐X▌`` in both states and tells them apart by colour only,
which a monochrome or 256-colour terminal over SSH may not show (issue #15)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """``[x] label`` / ``[ ] label``; everything else as Textual's Checkbox."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("[", ("x" if self.value else " ", style), "]")
