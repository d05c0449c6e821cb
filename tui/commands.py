"""Command palette (Ctrl+P): go to any screen, open a customer or vendor card by no. or
name, or a document's ledger entries by document no. The same screens as the keys."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from core.i18n import LANGUAGES, _, get_language
from core.queries.types import SearchHit
from screens.ledger.ledger_entries import LedgerEntriesScreen
from screens.ledger.party_card import PartyCardScreen
from tui.context import Context
from tui.navigation import DESTINATIONS, screen_for


def _ctx(provider: Provider) -> Context:
    ctx: Context = getattr(provider.app, "ctx")  # noqa: B009 - tui.app imports this module
    return ctx


class ScreensProvider(Provider):
    """The screens, by name."""

    async def discover(self) -> Hits:
        for target, name in DESTINATIONS.items():
            yield DiscoveryHit(_("Go to {name}").format(name=_(name)),
                               partial(self._open, target))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for target, name in DESTINATIONS.items():
            text = _("Go to {name}").format(name=_(name))
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._open, target),
                          text=text)

    def _open(self, target: str) -> None:
        screen = screen_for(_ctx(self), target)
        if screen is not None:
            self.app.push_screen(screen)


class LanguageProvider(Provider):
    """Switch the language of the app (English / Français) without restarting."""

    def _choices(self) -> list[tuple[str, str]]:
        # Both words, so a clerk finds it whatever the current language.
        return [(code, _("Language / Langue: {name}").format(name=name))
                for code, name in LANGUAGES.items() if code != get_language()]

    async def discover(self) -> Hits:
        for code, text in self._choices():
            yield DiscoveryHit(text, partial(self.app.run_action, f"language('{code}')"))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for code, text in self._choices():
            keywords = f"language langue {code}"  # i18n: not shown
            score = max(matcher.match(text), matcher.match(keywords))
            if score > 0:
                yield Hit(score, matcher.highlight(text),
                          partial(self.app.run_action, f"language('{code}')"), text=text)


class RecordsProvider(Provider):
    """Customers and vendors by no. or name, entries by document no."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 2:
            return
        ctx = _ctx(self)
        hits = await asyncio.to_thread(ctx.services.queries.search, query)
        for rank, hit in enumerate(hits):
            yield Hit(1.0 - rank / 100, f"{hit.title}  ({hit.detail})",
                      partial(self._open, hit), text=hit.title, help=hit.detail)

    def _open(self, hit: SearchHit) -> None:
        ctx = _ctx(self)
        if hit.kind in ("customer", "vendor"):
            self.app.push_screen(PartyCardScreen(ctx, hit.kind, hit.key))
            return
        screen = LedgerEntriesScreen(ctx, hit.party_type)
        screen.text = hit.title.split(" ")[0]
        self.app.push_screen(screen)
