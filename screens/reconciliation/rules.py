"""Payment Application Rules (BC page 1252): the rule table Apply Automatically scores
with, best score first, edited with the keyboard.

Enter edits the highlighted rule in a dialog of selects, a (or Insert) adds one,
Delete (or x) deletes it, R resets the table to BC's defaults. The service checks the
values and that nobody changed the rule meanwhile; after a conflict the table is read
again so the clerk sees what the other clerk saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from core.i18n import N_, _
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
SHORT = {
    "not_considered": N_("any"),
    "fully": N_("Fully"),
    "partially": N_("Partially"),
    "no": N_("No"),
    "yes": N_("Yes"),
    "yes_multiple": N_("Yes-Mult"),
    "one": N_("One"),
    "multiple": N_("Multiple"),
    "none": N_("None"),
}
# (label, width, right-aligned); cell padding 0, so the table fits 80 columns
RULE_COLUMNS = ((N_("Conf."), 7, False), (N_("Prio"), 4, True), (N_(" Party"), 11, False),
           (N_("Doc. no."), 9, False), (N_("Amount"), 9, False), (N_("D.debit"), 8, False),
           (N_("Review"), 7, False), (N_("Apply now"), 10, False), (N_("Score"), 6, True))
# (label of at most 16 characters, field, options)
FIELDS = ((N_("Confidence"), "confidence", CONFIDENCE_LABELS),
          (N_("Related party"), "related_party", PARTY_LABELS),
          (N_("Doc. no. matched"), "doc_no", DOC_LABELS),
          (N_("Amount matched"), "amount", AMOUNT_LABELS),
          (N_("Direct debit"), "direct_debit", DD_LABELS))


def describe(rule: MatchRule) -> str:
    """The rule in BC's captions, for the line under the table."""
    review = _("review required") if rule.review_required else _("no review")
    now = _(" · applied immediately") if rule.apply_immediately else ""
    return (_("{rule} (score {score}): related party {related_party}, doc. no. {doc_no}, "
               "amount {amount}, direct debit {direct_debit} · {review}{now}").format(
               rule=rule_label(rule), score=rule.score,
               related_party=_(PARTY_LABELS[rule.related_party]), doc_no=_(DOC_LABELS[rule.doc_no]),
               amount=_(AMOUNT_LABELS[rule.amount]), direct_debit=_(DD_LABELS[rule.direct_debit]),
               review=review, now=now))


# --- the changes the screen writes (each a SetupChange) ------------------------------


@dataclass(frozen=True)
class UpdateRule:
    """Change the rule the clerk saw (``before``) into ``after``."""
    before: MatchRule
    after: MatchRule

    def run(self, svc: MatchingSetupService) -> MatchRule:
        return svc.update_rule(self.before, self.after)


@dataclass(frozen=True)
class AddRule:
    rule: MatchRule

    def run(self, svc: MatchingSetupService) -> MatchRule:
        return svc.add_rule(self.rule)


@dataclass(frozen=True)
class DeleteRule:
    rule: MatchRule

    def run(self, svc: MatchingSetupService) -> None:
        svc.delete_rule(self.rule)


@dataclass(frozen=True)
class ResetRules:
    """BC's default table again, refused if the table changed since the clerk saw it."""
    seen: Sequence[MatchRule]

    def run(self, svc: MatchingSetupService) -> list[MatchRule]:
        return svc.reset_rules(self.seen)


class RuleModal(FormModal[MatchRule]):
    """Edit (or add) one rule: selects for the values, the priority typed."""

    FIRST = "confidence"

    def __init__(self, rule: MatchRule, adding: bool) -> None:
        super().__init__()
        self.rule = rule
        self.adding = adding

    def compose(self) -> ComposeResult:
        r = self.rule
        what = _("New rule") if self.adding else _("Rule {r}").format(r=rule_label(r))
        with Vertical(id="dialog"):
            yield Static(
                _("{what} — Ctrl+S saves, Esc cancels").format(what=what),
                classes="dialog-title",
                markup=False,
            )
            yield Static(_("Amount matched = number of entries within the amount "
                         "tolerance; Not Considered = any value."), markup=False)
            with Grid(id="fields"):
                for label, name, labels in FIELDS:
                    yield Label(_(label))
                    yield Select([(text, value) for value, text in labels.items()],
                                 value=getattr(r, name), allow_blank=False, id=name)
                    if name == "confidence":
                        yield Label(_("Priority"))
                        yield Input(str(r.priority), id="priority", type="integer",
                                    placeholder=_("1 (highest) .. {MAX_PRIORITY}").format(
                                                   MAX_PRIORITY=MAX_PRIORITY))
                yield Label(_("Review required"))
                yield Select(
                    [(_(t), v) for t, v in YES_NO],
                    value="yes" if r.review_required else "no",
                    allow_blank=False,
                    id="review_required",
                )
                yield Label(_("Apply immed."))
                yield Select(
                    [(_(t), v) for t, v in YES_NO],
                    value="yes" if r.apply_immediately else "no",
                    allow_blank=False,
                    id="apply_immediately",
                )
            yield Static("", id="error", markup=False)

    def result(self) -> MatchRule:
        try:
            priority = int(self.text("priority"))
        except ValueError:
            raise LettrageError(
                _("Enter the priority as a number from 1 to {MAX_PRIORITY}.").format(
                    MAX_PRIORITY=MAX_PRIORITY
                )
            ) from None
        values: dict[str, Any] = {name: self.choice(name) for _l, name, _v in FIELDS}
        return replace(self.rule, priority=priority,
                       review_required=self.choice("review_required") == "yes",
                       apply_immediately=self.choice("apply_immediately") == "yes",
                       **values)


class ApplicationRulesScreen(SetupTableScreen[MatchRule]):
    """The payment application rules, editable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", N_("Edit"), id="rules.edit",
                tooltip=N_("Change the highlighted rule (or Enter)")),
        Binding("a,insert", "add", N_("Add"), id="rules.add", tooltip=N_("Add a rule")),
        Binding("delete,x", "delete", N_("Delete"), id="rules.delete",
                tooltip=N_("Delete the highlighted rule")),
        Binding("R", "reset", N_("Reset"), id="rules.reset",
                tooltip=N_("Reset the table to the default rules")),
        Binding("f5", "reload", N_("Refresh"), show=False, id="rules.refresh"),
    ]
    HELP = (N_("Apply Automatically scores each candidate with the best rule whose fields "
            "match (any = Not Considered); the rule's confidence and Review required "
            "decide whether the line goes to review. Enter edits, a adds, Delete removes, "
            "R resets to the default table. Changes apply to the next Apply "
            "Automatically."))
    COLUMNS = RULE_COLUMNS
    LOADING = N_("Loading the rules…")
    EMPTY = N_("No rules: a adds one, R resets.")
    NONE_HERE = N_("There is no rule here; a adds one.")

    def screen_title(self) -> str:
        return _("Payment Application Rules")

    @property
    def rules(self) -> list[MatchRule]:
        return self.rows

    def load(self, svc: MatchingSetupService) -> list[MatchRule]:
        return svc.rules()

    def row_key(self, row: MatchRule) -> str:
        return f"{row.confidence}:{row.priority}"

    def summary(self, rows: list[MatchRule]) -> str:
        reviewed = sum(1 for r in rows if r.review_required)
        return (_("{count} rules, best score first · {reviewed} send the line to review · "
                   "any = Not Considered").format(count=len(rows), reviewed=reviewed))

    def cells(self, r: MatchRule) -> list[str | Text]:
        return [_(CONFIDENCE_LABELS[r.confidence]), Text(f"{r.priority} ", justify="right"),
                " " + _(SHORT[r.related_party]), _(SHORT[r.doc_no]), _(SHORT[r.amount]),
                _(SHORT[r.direct_debit]), _("Yes") if r.review_required else "",
                _("Yes") if r.apply_immediately else "", Text(f"{r.score} ", justify="right")]

    def describe(self, row: MatchRule) -> str:
        return describe(row)

    # --- actions ---------------------------------------------------------------------

    def action_edit(self) -> None:
        before = self.need_row()

        def chosen(after: MatchRule | None) -> None:
            if after is not None and after != before:
                self.write(UpdateRule(before, after),
                           _("Rule {after} saved.").format(after=rule_label(after)),
                           self.row_key(after))

        self.app.push_screen(RuleModal(before, adding=False), chosen)

    def action_add(self) -> None:
        base = self.current() or MatchRule("low", 1)
        used = {r.priority for r in self.rules if r.confidence == base.confidence}
        free = next((p for p in range(base.priority + 1, MAX_PRIORITY + 1) if p not in used),
                    MAX_PRIORITY)
        draft = MatchRule(base.confidence, free, review_required=base.confidence != "high")

        def chosen(new: MatchRule | None) -> None:
            if new is not None:
                self.write(AddRule(new), _("Rule {new} added.").format(new=rule_label(new)),
                           self.row_key(new))

        self.app.push_screen(RuleModal(draft, adding=True), chosen)

    def action_delete(self) -> None:
        rule = self.need_row()

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(DeleteRule(rule),
                           _("Rule {rule} deleted.").format(rule=rule_label(rule)))

        self.app.push_screen(ConfirmModal(_("Delete rule {rule}?").format(rule=describe(rule))),
                             answered)

    def action_reset(self) -> None:
        seen = list(self.rules)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(ResetRules(tuple(seen)), _("The default rules are back."))

        self.app.push_screen(ConfirmModal(
            _("Reset the payment application rules to the default table? Your own rules "
            "and changes are lost (the audit trail keeps them).")), answered)
