"""Reminder terms, reminder levels and finance charge terms: one table; Enter edits the
highlighted row as ``field=value`` pairs, a adds a level to the highlighted terms. Every
change goes through the setup service, validated and written to the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from core.i18n import N_, _
from screens.collections.common import hub
from screens.collections.prompt import PromptModal
from screens.shared.base import BaseScreen, title_bar
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.footer import FitFooter
from tui.workers import core_worker

FIELDS = {
    "reminder_terms": ("description", "max_no_of_reminders", "minimum_amount",
                       "post_interest", "post_additional_fee", "post_add_fee_per_line"),
    "reminder_level": ("grace_period", "due_date_calculation", "additional_fee",
                       "add_fee_per_line", "fee_calculation_type", "calculate_interest"),
    "finance_charge_terms": ("description", "interest_rate", "interest_method",
                             "interest_period_days", "grace_period", "due_date_calculation",
                             "minimum_amount", "additional_fee", "interest_on"),
}
KEYS = {"reminder_terms": ("code",), "reminder_level": ("terms_code", "no"),
        "finance_charge_terms": ("code",)}


def _pairs(row: dict[str, Any], entity: str) -> str:
    return " ".join(f"{f}={row[f]}" for f in FIELDS[entity])


def parse_pairs(text: str) -> dict[str, str]:
    """``a=1 b=x y`` -> {"a": "1", "b": "x y"} (a value runs to the next ``name=``)."""
    out: dict[str, str] = {}
    key = ""
    for word in text.split():
        if "=" in word and word.split("=", 1)[0].replace("_", "").isalnum():
            key, value = word.split("=", 1)
            out[key] = value
        elif key:
            out[key] += " " + word
    return out


@dataclass
class TermsLoaded(Outcome, namespace="terms_setup_screen"):
    """The reminder terms with their levels, then the finance charge terms."""
    rows: list[tuple[str, dict[str, Any]]]


@dataclass
class TermsSaved(Outcome, namespace="terms_setup_screen"):
    notice: str


class TermsSetupScreen(BaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit", N_("Edit"), id="terms.edit"),
        Binding("a", "add_level", N_("Add level"), id="terms.add"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="terms.refresh", show=False),
    ]
    HELP = (N_("Reminder terms, their levels and the finance charge terms. Enter edits the "
            "highlighted row: change the field=value pairs and press Enter (amounts in the "
            "company currency, date formulas like 5D or CM+10D, fee types fixed, "
            "single_dynamic, accumulated_dynamic). a adds a level. Changes are audited."))
    DEFAULT_CSS = """
    TermsSetupScreen #terms-table { height: 1fr; }
    TermsSetupScreen #terms-info { height: 3; padding: 0 1; background: $boost; }
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.rows: list[tuple[str, dict[str, Any]]] = []

    def screen_title(self) -> str:
        return _("Reminder and Finance Charge Terms")

    def compose(self) -> ComposeResult:
        yield title_bar(self.screen_title())
        table: DataTable[str] = DataTable(id="terms-table", cursor_type="row", cell_padding=0)
        yield table
        yield Static("", id="terms-info", markup=False)
        yield FitFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (
            (_("What"), 12),
            (_("Code"), 10),
            (_("Lv"), 3),
            (_("Grace"), 6),
            (_("Due"), 6),
            (_("Fee/rate"), 10),
            (_("Fee type / method"), 20),
            (_("Int."), 5),
        ):
            table.add_column(label, width=width + 1)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @core_worker("load")
    def _load(self) -> TermsLoaded:
        setup = hub(self.ctx).setup

        def load() -> list[tuple[str, dict[str, Any]]]:
            rows: list[tuple[str, dict[str, Any]]] = []
            for terms in setup.rows("reminder_terms"):
                rows.append(("reminder_terms", terms))
                rows += [("reminder_level", lv) for lv in
                         setup.rows("reminder_level", terms_code=terms["code"])]
            rows += [("finance_charge_terms", t) for t in setup.rows("finance_charge_terms")]
            return rows

        return TermsLoaded(load())

    def on_terms_setup_screen_terms_loaded(self, message: TermsLoaded) -> None:
        rows = message.rows
        self.rows = rows
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for entity, r in rows:
            if entity == "reminder_terms":
                table.add_row(_("Reminder"), r["code"], "", "", "", str(r["minimum_amount"]),
                              r["description"][:20], "")
            elif entity == "reminder_level":
                table.add_row(_("  level"), r["terms_code"], str(r["no"]), r["grace_period"],
                              r["due_date_calculation"], str(r["additional_fee"]),
                              r["fee_calculation_type"],
                              "yes" if r["calculate_interest"] else "")
            else:
                table.add_row(_("Fin. charge"), r["code"], "", r["grace_period"],
                              r["due_date_calculation"], f"{r['interest_rate']} %",
                              r["interest_method"][:20], r["interest_on"])
        if cursor is not None and cursor < len(rows):
            table.move_cursor(row=cursor)
        self._describe()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._describe()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def _current(self) -> tuple[str, dict[str, Any]] | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if self.rows and row is not None and row < len(self.rows) \
            else None

    def _describe(self) -> None:
        current = self._current()
        self.query_one("#terms-info", Static).update(
            _pairs(current[1], current[0]) if current else _("No terms yet."))

    def action_edit(self) -> None:
        current = self._current()
        if current is None:
            return
        entity, row = current
        key = {k: row[k] for k in KEYS[entity]}

        def answered(text: str | None) -> None:
            if text:
                self._save(entity, {**key, **parse_pairs(text)}, _("Saved (audited)"))

        title = " ".join(str(v) for v in key.values())
        self.app.push_screen(PromptModal(_("Edit {replace} {title}:").format(
                                            replace=entity.replace('_', ' '), title=title),
                                         _pairs(row, entity)), answered)

    def action_add_level(self) -> None:
        current = self._current()
        if current is None or current[0] not in ("reminder_terms", "reminder_level"):
            return
        code = current[1].get("terms_code") or current[1]["code"]
        levels = [r["no"] for e, r in self.rows if e == "reminder_level"
                  and r["terms_code"] == code]
        values = {"terms_code": code, "no": max(levels, default=0) + 1}
        self._save("reminder_level", values, _("Added level {no} to {code}").format(
                                                 no=values['no'], code=code))

    @core_worker("write")
    def _save(self, entity: str, values: dict[str, Any], notice: str) -> TermsSaved:
        hub(self.ctx).setup.save(entity, values)
        return TermsSaved(notice)

    def on_terms_setup_screen_terms_saved(self, message: TermsSaved) -> None:
        self.notify(message.notice)
        self.action_reload()
