"""Audit Trail: who changed what, newest first, with the values before and after.

Applications accepted, changed or removed on statement lines, Apply Automatically runs,
customer and vendor changes (blocked, privacy, payment tolerance), rules, mappings,
tolerances and setup, statement imports. Read-only: nothing here (or anywhere in the
app) can change or delete an entry. f filters by user, kind of record, record and
period; u and t narrow to the highlighted entry's user or kind; x clears the filters;
Enter shows one entry's fields before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from core.audit.conflicts import action_text
from core.audit.queries import (
    ENTITY_LABELS,
    AuditFilter,
    AuditQueryService,
    AuditRow,
    show,
)
from core.i18n import N_, NP_, _, date_example, format_date, format_datetime, parse_date
from core.i18n.formats import InputFormatError
from core.queries.types import PageRequest
from screens.reconciliation.dialogs import TextModal
from screens.shared.base import ListScreen
from tui.context import Context
from tui.messages import Outcome
from tui.widgets.formatting import short_date
from tui.widgets.lazy_table import Column, Fetch, LazyTable
from tui.workers import core_worker

DATE_FIELDS = (("since", N_("From date")), ("until", N_("To date")))




def when(row: AuditRow) -> str:
    """``03 Dec 26 16:28`` in local time (the seconds are in the details)."""
    local = row.at.astimezone()
    return f"{short_date(local.date())} {local:%H:%M}"


def describe(f: AuditFilter) -> list[str]:
    """The filter as words for the filter line."""
    words = []
    if f.user:
        words.append(_("user {user}").format(user=f.user))
    if f.entity:
        words.append(_(ENTITY_LABELS.get(f.entity, f.entity)).lower())
    if f.key:
        words.append(_("record {key}").format(key=f.key))
    if f.since or f.until:
        words.append(f"{f.since or '…'}..{f.until or '…'}")
    return words


def detail_text(row: AuditRow) -> str:
    """One entry: who, when, what, and each field before → after."""
    lines = [f"{format_datetime(row.at, seconds=True)} · {row.user} · "
             f"{action_text(row.action)}",
             f"{row.entity_label} {row.key}", ""]
    if row.changes:
        width = max(len(c.label) for c in row.changes)
        lines += [f"{c.label:<{width}}  {show(c.before)}  →  {show(c.after)}"
                  for c in row.changes]
    else:
        lines.append(_("(no field values recorded)"))
    if row.note:
        lines += ["", row.note]
    return "\n".join(lines)


@dataclass
class EntitiesLoaded(Outcome, namespace="audit_trail_screen"):
    entities: list[str]


class AuditTrailScreen(ListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "details", N_("Details"), id="audit.details"),
        Binding("f", "filter", N_("Filter"), id="audit.filter",
                tooltip=N_("Filter by user, kind of record, record and period")),
        Binding("u", "only_user", N_("This user"), id="audit.only_user"),
        Binding("t", "only_kind", N_("This kind"), id="audit.only_kind"),
        Binding("x", "clear", N_("Clear filter"), id="audit.clear"),
        Binding("f5,ctrl+r", "reload", N_("Refresh"), id="audit.refresh", show=False),
    ]
    SORTABLE = SEARCHABLE = False
    DEFAULT_CSS = """
    AuditTrailScreen #audit-info { height: 2; padding: 0 1; background: $boost; }
    """
    TITLE_TEXT = N_("Audit Trail")
    HELP = (N_("Every change to shared settings and to statement-line applications, newest "
            "first, with who made it and the values before and after. Enter shows one "
            "entry; f filters; u keeps only the highlighted user, t only the highlighted "
            "kind of record; x clears the filters. The trail cannot be changed."))

    def __init__(self, ctx: Context, flt: AuditFilter | None = None) -> None:
        super().__init__(ctx)
        self.flt = flt or AuditFilter()

    @property
    def service(self) -> AuditQueryService:
        return self.ctx.services.audit

    def filter_words(self) -> list[str]:
        return [_("newest first"), *describe(self.flt)]

    def columns(self) -> list[Column]:
        # tight columns so the changes keep about a third of 80 columns (Enter: all)
        return [Column(_("When"), 15, when),
                Column(_(NP_("audit column", "User")), 9, lambda r: r.user),
                Column(_("Action"), 12, lambda r: action_text(r.action)),
                Column(_("Record"), 17, lambda r: f"{r.entity_label} {r.key}"),
                Column(_("Changes"), 0, lambda r: r.summary)]

    def compose(self) -> ComposeResult:
        """The list, and under it the highlighted entry in full words (two lines):
        the columns are tight at 80 columns."""
        widgets = list(super().compose())
        widgets.insert(len(widgets) - 1, Static("", id="audit-info", markup=False))
        yield from widgets

    @on(LazyTable.RowHighlighted)
    def _highlighted(self) -> None:
        row = self._row()
        info = self.query_one("#audit-info", Static)
        if row is None:
            info.update("")
            return
        room = max(info.size.width - 2, 40)
        lines = (f"{row.at_text} · {row.user} · {action_text(row.action)} · "
                 f"{row.entity_label} {row.key}", row.summary)
        info.update("\n".join(t if len(t) <= room else t[:room - 1] + "…" for t in lines))

    def make_fetch(self) -> Fetch:
        service, flt = self.service, self.flt

        def fetch(request: PageRequest) -> Any:
            return service.page(flt, request)

        return fetch

    def _row(self) -> AuditRow | None:
        value = self.table.cursor_value
        return value if isinstance(value, AuditRow) else None

    def set_filter(self, flt: AuditFilter) -> None:
        self.flt = flt
        self.refresh_list()

    # --- actions ------------------------------------------------------------------------

    @on(LazyTable.RowSelected)
    def _selected(self) -> None:
        self.action_details()

    def action_details(self) -> None:
        if (row := self._row()) is not None:
            self.app.push_screen(TextModal(_("Audit entry {id}").format(id=row.id),
                                           detail_text(row)))

    def action_filter(self) -> None:
        self._load_entities()

    @core_worker("entities")
    def _load_entities(self) -> EntitiesLoaded:
        return EntitiesLoaded(self.service.entities())

    def on_audit_trail_screen_entities_loaded(self, message: EntitiesLoaded) -> None:
        def chosen(flt: AuditFilter | None) -> None:
            if flt is not None:
                self.set_filter(flt)

        self.app.push_screen(AuditFilterModal(self.flt, message.entities), chosen)

    def action_only_user(self) -> None:
        if (row := self._row()) is not None:
            self.set_filter(replace(self.flt, user="" if self.flt.user else row.user))

    def action_only_kind(self) -> None:
        if (row := self._row()) is not None:
            self.set_filter(replace(self.flt, entity="" if self.flt.entity else row.entity,
                                    key=""))

    def action_clear(self) -> None:
        self.set_filter(AuditFilter())

    def action_reload(self) -> None:
        self.table.reload()


class AuditFilterModal(ModalScreen[AuditFilter | None]):
    """User, kind of record, record and period; returns the filter (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s,f9", "apply", N_("Apply"), id="filter.apply"),
        Binding("escape", "cancel", N_("Cancel"), id="filter.cancel"),
        Binding("ctrl+r", "clear", N_("Clear"), id="filter.clear"),
    ]

    def __init__(self, current: AuditFilter, entities: list[str]) -> None:
        super().__init__()
        self.current = current
        self.entities = sorted(set(entities) | ({current.entity} - {""}))

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(id="dialog"):
            yield Static(_("Filter the audit trail — Ctrl+S applies, Esc cancels, Ctrl+R "
                         "clears"), classes="dialog-title", markup=False)
            with Grid(id="fields"):
                yield Label(_("User"))
                yield Input(c.user, placeholder="any", id="user")
                yield Label(_("Kind of record"))
                yield Select([(_(ENTITY_LABELS.get(e, e)), e) for e in self.entities],
                             value=c.entity or Select.NULL, prompt=_("Any"), id="entity")
                yield Label(_("Record"))
                yield Input(c.key, placeholder=_("any, e.g. C00010"), id="key")
                for name, text in DATE_FIELDS:
                    yield Label(_(text))
                    yield Input(format_date(getattr(c, name)), placeholder=date_example(),
                                id=name)
            yield Static("", id="error", markup=False)

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        for name in ("user", "key", *(n for n, _f in DATE_FIELDS)):
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#entity", Select).clear()

    def action_apply(self) -> None:
        try:
            result = self.read()
        except ValueError as error:
            self.query_one("#error", Static).update(str(error))
            return
        self.dismiss(result)

    def read(self) -> AuditFilter:
        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        days: dict[str, date | None] = {}
        for name, label in DATE_FIELDS:
            try:
                days[name] = parse_date(text(name)) if text(name) else None
            except InputFormatError as exc:
                raise ValueError(_("{what}: {problem}").format(what=_(label),
                                                               problem=exc)) from None
        if days["since"] and days["until"] and days["since"] > days["until"]:
            raise ValueError(_("From date is after To date: the period is empty"))
        entity = self.query_one("#entity", Select).value
        return AuditFilter(since=days["since"], until=days["until"], user=text("user"),
                           entity=entity if isinstance(entity, str) else "",
                           key=text("key"))
