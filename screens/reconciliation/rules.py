"""Payment Application Rules (BC page 1252): the rule table Apply Automatically scores
with, best score first, edited with the keyboard.

Enter edits the highlighted rule in a dialog of selects, a (or Insert) adds one,
Delete (or x) deletes it, R resets the table to BC's defaults. The service checks the
values and that nobody changed the rule meanwhile; after a conflict the table is read
again so the clerk sees what the other clerk saved.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from core.i18n import _
from core.kernel.errors import LettrageError
from core.matching import MatchRule
from core.reconciliation.setup import (
    AMOUNT_LABELS,
    CONFIDENCE_LABELS,
    DD_LABELS,
    DOC_LABELS,
    MAX_PRIORITY,
    PARTY_LABELS,
    MatchingSetupService,
    rule_label,
)
from screens.reconciliation.dialogs import YES_NO, FormModal
from screens.reconciliation.setup_table import SetupTableScreen
from screens.shared.confirm import ConfirmModal

# short words for the table (the dialog and the line below it use BC's captions)
SHORT = {"not_considered": "any", "fully": "Fully", "partially": "Partially", "no": "No",
         "yes": "Yes", "yes_multiple": "Yes-Mult", "one": "One", "multiple": "Multiple",
         "none": "None"}
# (label, width, right-aligned); cell padding 0, so the table fits 80 columns
RULE_COLUMNS = (("Conf.", 7, False), ("Prio", 4, True), (" Party", 11, False),
           ("Doc. no.", 9, False), ("Amount", 9, False), ("D.debit", 8, False),
           ("Review", 7, False), ("Apply now", 10, False), ("Score", 6, True))
# (label of at most 16 characters, field, options)
FIELDS = (("Confidence", "confidence", CONFIDENCE_LABELS),
          ("Related party", "related_party", PARTY_LABELS),
          ("Doc. no. matched", "doc_no", DOC_LABELS),
          ("Amount matched", "amount", AMOUNT_LABELS),
          ("Direct debit", "direct_debit", DD_LABELS))


def describe(rule: MatchRule) -> str:
    """The rule in BC's captions, for the line under the table."""
    review = "review required" if rule.review_required else "no review"
    now = " · applied immediately" if rule.apply_immediately else ""
    return (f"{rule_label(rule)} (score {rule.score}): related party "
            f"{PARTY_LABELS[rule.related_party]}, doc. no. {DOC_LABELS[rule.doc_no]}, "
            f"amount {AMOUNT_LABELS[rule.amount]}, direct debit "
            f"{DD_LABELS[rule.direct_debit]} · {review}{now}")


class RuleModal(FormModal[MatchRule]):
    """Edit (or add) one rule: selects for the values, the priority typed."""

    FIRST = "confidence"

    def __init__(self, rule: MatchRule, adding: bool) -> None:
        super().__init__()
        self.rule = rule
        self.adding = adding

    def compose(self) -> ComposeResult:
        r = self.rule
        what = "New rule" if self.adding else f"Rule {rule_label(r)}"
        with Vertical(id="dialog"):
            yield Static(f"{what} — Ctrl+S saves, Esc cancels", classes="dialog-title",
                         markup=False)
            yield Static("Amount matched = number of entries within the amount "
                         "tolerance; Not Considered = any value.", markup=False)
            with Grid(id="fields"):
                for label, name, labels in FIELDS:
                    yield Label(label)
                    yield Select([(text, value) for value, text in labels.items()],
                                 value=getattr(r, name), allow_blank=False, id=name)
                    if name == "confidence":
                        yield Label(_("Priority"))
                        yield Input(str(r.priority), id="priority", type="integer",
                                    placeholder=f"1 (highest) .. {MAX_PRIORITY}")
                yield Label(_("Review required"))
                yield Select(YES_NO, value="yes" if r.review_required else "no",
                             allow_blank=False, id="review_required")
                yield Label(_("Apply immed."))
                yield Select(YES_NO, value="yes" if r.apply_immediately else "no",
                             allow_blank=False, id="apply_immediately")
            yield Static("", id="error", markup=False)

    def result(self) -> MatchRule:
        try:
            priority = int(self.text("priority"))
        except ValueError:
            raise LettrageError(f"Enter the priority as a number from 1 to "
                                f"{MAX_PRIORITY}.") from None
        values: dict[str, Any] = {name: self.choice(name) for _l, name, _v in FIELDS}
        return replace(self.rule, priority=priority,
                       review_required=self.choice("review_required") == "yes",
                       apply_immediately=self.choice("apply_immediately") == "yes",
                       **values)


class ApplicationRulesScreen(SetupTableScreen[MatchRule]):
    """The payment application rules, editable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="rules.edit",
                tooltip="Change the highlighted rule (or Enter)"),
        Binding("a,insert", "add", "Add", id="rules.add", tooltip="Add a rule"),
        Binding("delete,x", "delete", "Delete", id="rules.delete",
                tooltip="Delete the highlighted rule"),
        Binding("R", "reset", "Reset", id="rules.reset",
                tooltip="Reset the table to the default rules"),
        Binding("f5", "reload", "Refresh", show=False, id="rules.refresh"),
    ]
    HELP = ("Apply Automatically scores each candidate with the best rule whose fields "
            "match (any = Not Considered); the rule's confidence and Review required "
            "decide whether the line goes to review. Enter edits, a adds, Delete removes, "
            "R resets to the default table. Changes apply to the next Apply "
            "Automatically.")
    COLUMNS = RULE_COLUMNS
    LOADING = "Loading the rules…"
    EMPTY = "No rules: a adds one, R resets."
    NONE_HERE = "There is no rule here; a adds one."

    def screen_title(self) -> str:
        return "Payment Application Rules"

    @property
    def rules(self) -> list[MatchRule]:
        return self.rows

    def load(self, svc: MatchingSetupService) -> list[MatchRule]:
        return svc.rules()

    def row_key(self, row: MatchRule) -> str:
        return f"{row.confidence}:{row.priority}"

    def summary(self, rows: list[MatchRule]) -> str:
        reviewed = sum(1 for r in rows if r.review_required)
        return (f"{len(rows)} rules, best score first · {reviewed} send the line to "
                "review · any = Not Considered")

    def cells(self, r: MatchRule) -> list[str | Text]:
        return [CONFIDENCE_LABELS[r.confidence], Text(f"{r.priority} ", justify="right"),
                " " + SHORT[r.related_party], SHORT[r.doc_no], SHORT[r.amount],
                SHORT[r.direct_debit], "Yes" if r.review_required else "",
                "Yes" if r.apply_immediately else "", Text(f"{r.score} ", justify="right")]

    def describe(self, row: MatchRule) -> str:
        return describe(row)

    # --- actions ---------------------------------------------------------------------

    def action_edit(self) -> None:
        before = self.need_row()

        def chosen(after: MatchRule | None) -> None:
            if after is not None and after != before:
                self.write(lambda svc: svc.update_rule(before, after),
                           f"Rule {rule_label(after)} saved.", self.row_key(after))

        self.app.push_screen(RuleModal(before, adding=False), chosen)

    def action_add(self) -> None:
        base = self.current() or MatchRule("low", 1)
        used = {r.priority for r in self.rules if r.confidence == base.confidence}
        free = next((p for p in range(base.priority + 1, MAX_PRIORITY + 1) if p not in used),
                    MAX_PRIORITY)
        draft = MatchRule(base.confidence, free, review_required=base.confidence != "high")

        def chosen(new: MatchRule | None) -> None:
            if new is not None:
                self.write(lambda svc: svc.add_rule(new), f"Rule {rule_label(new)} added.",
                           self.row_key(new))

        self.app.push_screen(RuleModal(draft, adding=True), chosen)

    def action_delete(self) -> None:
        rule = self.need_row()

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda svc: svc.delete_rule(rule),
                           f"Rule {rule_label(rule)} deleted.")

        self.app.push_screen(ConfirmModal(f"Delete rule {describe(rule)}?"), answered)

    def action_reset(self) -> None:
        seen = list(self.rules)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda svc: svc.reset_rules(seen), "The default rules are back.")

        self.app.push_screen(ConfirmModal(
            "Reset the payment application rules to the default table? Your own rules "
            "and changes are lost (the audit trail keeps them)."), answered)
