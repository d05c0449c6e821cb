"""Payment Application Settings (BC "Bank Pmt. Appl. Settings", bc-spec §3.3): which
ledger entries Apply Automatically looks at and how it compares names.

A form of selects: Tab moves, Enter opens a select, Ctrl+S saves. u opens the rules,
K the text-to-account mappings; the match tolerance is set per bank account (t on the
bank accounts list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import Label, Select, Static

from core.i18n import N_, _
from core.kernel.errors import ConflictError
from core.reconciliation.setup import (
    NAME_MATCHING_LABELS,
    ApplicationSettings,
    MatchingSetupService,
)
from screens.reconciliation.dialogs import YES_NO
from screens.reconciliation.mappings import TextMappingsScreen
from screens.reconciliation.rules import ApplicationRulesScreen
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.workers import core_worker

# (field, label, options): Yes/No unless options are given
FIELDS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("customer_matching", N_("Customer ledger entries matching"), YES_NO),
    ("vendor_matching", N_("Vendor ledger entries matching"), YES_NO),
    ("bank_ledger_matching", N_("Bank ledger entries matching"), YES_NO),
    ("name_matching", N_("Related-party name matching"),
     tuple((text, value) for value, text in NAME_MATCHING_LABELS.items())),  # _() in compose
    ("bank_closing_doc_no_match", N_("Bank ledger closing doc. no. match"), YES_NO),
    ("apply_immediately", N_("Enable apply immediately"), YES_NO),
    ("apply_underpayments", N_("Apply underpayments (beyond BC)"), YES_NO),
    ("apply_overpayments", N_("Apply overpayments (beyond BC)"), YES_NO),
    ("complete_lumps", N_("Complete lump payments (beyond BC)"), YES_NO),
)
EXPLAIN = (
    N_("Matching on: Apply Automatically proposes open entries of that kind. "
    "Name matching: String Nearness compares the payer's name with 95 % nearness; "
    "Exact Match with Permutations wants the name (or its words turned round) in the "
    "text; Disabled uses only bank accounts. Closing doc. no.: bank ledger entries also "
    "match by the document nos. of the entries they closed. Apply immediately: a rule "
    "marked so stops the search for that line. Beyond BC, when bank account (or name "
    "plus document) and one named document are certain: underpayments are applied and "
    "the rest stays open, overpayments close the document and the excess stays "
    "unapplied on the account; named documents short of the amount are completed by "
    "the party's other open entries when exactly one set fits."))


def _value(settings: ApplicationSettings, name: str) -> str:
    value = getattr(settings, name)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass
class SettingsLoaded(Outcome, namespace="match_settings_screen"):
    settings: ApplicationSettings


@dataclass
class SettingsSaved(Outcome, namespace="match_settings_screen"):
    """Saved (``conflict`` empty), or refused: the other clerk's settings."""
    settings: ApplicationSettings
    conflict: str


class MatchSettingsScreen(BaseScreen):
    """The payment application settings, editable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "save", N_("Save"), id="settings.save"),
        Binding("u", "rules", N_("Rules"), id="settings.rules",
                tooltip=N_("Payment application rules")),
        Binding("K", "mappings", N_("Text mappings"), id="settings.mappings",
                tooltip=N_("Text-to-account mappings")),
        Binding("f5", "reload", N_("Refresh"), show=False, id="settings.refresh"),
    ]
    DEFAULT_CSS = """
    MatchSettingsScreen #settings-body { height: 1fr; padding: 0 1; }
    MatchSettingsScreen #settings-fields { layout: grid; grid-size: 2; grid-columns: 38 32;
        grid-rows: 1; grid-gutter: 0 1; height: auto; margin: 1 0; }
    MatchSettingsScreen #settings-fields Select { height: 1; }
    MatchSettingsScreen #settings-fields Select > SelectCurrent { height: 1; border: none;
        padding: 0; }
    MatchSettingsScreen #explain { color: $text-muted; height: auto; }
    """
    HELP = (N_("Tab moves between the settings, Enter opens a list, Ctrl+S saves. The "
            "settings apply to the next Apply Automatically of every bank account. ")
            + EXPLAIN)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.settings: ApplicationSettings | None = None

    def screen_title(self) -> str:
        return _("Payment Application Settings")

    @property
    def service(self) -> MatchingSetupService:
        return self.ctx.services.matching_setup

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        yield Static(_("Loading…"), id="filters", markup=False)
        with VerticalScroll(id="settings-body"):
            with Grid(id="settings-fields"):
                for name, label, options in FIELDS:
                    yield Label(_(label))
                    yield Select([(_(t), v) for t, v in options], allow_blank=False, id=name)
            yield Static(_(EXPLAIN), id="explain", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{FIELDS[0][0]}", Select).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @core_worker("load")
    def _load(self) -> SettingsLoaded:
        return SettingsLoaded(self.service.settings())

    def on_match_settings_screen_settings_loaded(self, message: SettingsLoaded) -> None:
        self._fill(message.settings)

    def _fill(self, settings: ApplicationSettings) -> None:
        self.settings = settings
        for name, _label, _options in FIELDS:
            self.query_one(f"#{name}", Select).value = _value(settings, name)
        saved = _("defaults (never changed)") if settings.version == 0 else \
            _("saved (version {version})").format(version=settings.version)
        self.query_one("#filters", Static).update(
            _("For every bank account · {saved} · Ctrl+S saves").format(saved=saved))

    def _form(self) -> ApplicationSettings:
        assert self.settings is not None
        values: dict[str, object] = {}
        for name, _label, options in FIELDS:
            chosen = str(self.query_one(f"#{name}", Select).value)
            values[name] = chosen == "yes" if options is YES_NO else chosen
        return ApplicationSettings(**values, version=self.settings.version)  # type: ignore[arg-type]

    def action_save(self) -> None:
        if self.settings is None:
            return
        new = self._form()
        if new == self.settings:
            self.notify(_("Nothing changed."))
            return
        self._save(new)

    @core_worker("write")
    def _save(self, new: ApplicationSettings) -> SettingsSaved:
        svc = self.service
        try:
            return SettingsSaved(svc.save_settings(new), "")
        except ConflictError as error:  # show what the other clerk saved
            return SettingsSaved(svc.settings(), str(error))

    def on_match_settings_screen_settings_saved(self, message: SettingsSaved) -> None:
        self._fill(message.settings)
        if message.conflict:
            self.notify(message.conflict, title=_("Not saved"), severity="warning", timeout=8)
        else:
            self.notify(_("Payment application settings saved; they apply to the next "
                        "Apply Automatically."))

    def action_rules(self) -> None:
        self.app.push_screen(ApplicationRulesScreen(self.ctx))

    def action_mappings(self) -> None:
        self.app.push_screen(TextMappingsScreen(self.ctx))
