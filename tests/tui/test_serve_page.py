"""``lettrage serve``'s page loads nothing from another site (issue #15): the font comes
from the server itself, and the page is textual-serve's template plus that one change."""

from __future__ import annotations

import re
from pathlib import Path

import textual_serve

from tui.serve import PAGE_TEMPLATES, GuardedServer

UPSTREAM = Path(textual_serve.__file__).parent


def test_page_loads_nothing_from_another_site() -> None:
    page = (PAGE_TEMPLATES / "app_index.html").read_text(encoding="utf-8")
    urls = re.findall(r"""(?:href|src)=["']?(?:url\()?["']?(https?://[^"')\s]+)""", page)
    assert urls == [] and "googleapis" not in page
    for font in re.findall(r"fonts/([\w.-]+\.ttf)", page):
        assert (UPSTREAM / "static" / "fonts" / font).is_file()


def test_page_is_upstream_with_local_fonts_only() -> None:
    ours = (PAGE_TEMPLATES / "app_index.html").read_text(encoding="utf-8")
    upstream = (UPSTREAM / "templates" / "app_index.html").read_text(encoding="utf-8")
    strip = re.compile(r"<link\s+rel=\"stylesheet\"\s+href=\"https://fonts[^>]*>|"
                       r"<!-- Lettrage:.*?</style>", re.S)
    assert strip.sub("", ours) == strip.sub("", upstream)


def test_server_uses_the_page() -> None:
    server = GuardedServer("127.0.0.1", 8765, token="t", password=None, banner=[])
    assert server.templates_path == PAGE_TEMPLATES
