"""Payment application rules: BC's default table (§3.2) and the rule lookup (§3.4 step 4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from core.i18n import _
from core.matching.model import (
    AmountMatch,
    DDMatch,
    DocMatch,
    MatchRule,
    PartyMatch,
    RuleConfidence,
)

_NC = "not_considered"

# (confidence, code priority, related party, doc no., amount) exactly as §3.2.
_DEFAULTS: tuple[tuple[RuleConfidence, int, PartyMatch, DocMatch, AmountMatch], ...] = (
    ("high", 1, "not_considered", "not_considered", "not_considered"),
    ("high", 2, "fully", "yes_multiple", "one"),
    ("high", 3, "fully", "yes_multiple", "multiple"),
    ("high", 4, "fully", "yes", "one"),
    ("high", 5, "fully", "yes", "multiple"),
    ("high", 6, "partially", "yes_multiple", "one"),
    ("high", 7, "partially", "yes_multiple", "multiple"),
    ("high", 8, "partially", "yes", "one"),
    ("high", 9, "fully", "no", "one"),
    ("high", 10, "no", "yes_multiple", "one"),
    ("high", 11, "no", "yes_multiple", "multiple"),
    ("medium", 1, "fully", "yes_multiple", "not_considered"),
    ("medium", 2, "fully", "yes", "not_considered"),
    ("medium", 3, "fully", "no", "multiple"),
    ("medium", 4, "partially", "yes_multiple", "not_considered"),
    ("medium", 5, "partially", "yes", "not_considered"),
    ("medium", 6, "no", "yes", "one"),
    ("medium", 7, "no", "yes_multiple", "not_considered"),
    ("medium", 8, "partially", "no", "one"),
    ("medium", 9, "no", "yes", "not_considered"),
    ("low", 1, "fully", "no", "none"),
    ("low", 2, "partially", "no", "multiple"),
    ("low", 3, "partially", "no", "none"),
    ("low", 4, "no", "no", "one"),
    ("low", 5, "no", "no", "multiple"),
)


def default_rules() -> tuple[MatchRule, ...]:
    """BC's default rules (code numbering, with the Direct Debit rule as High P1)."""
    rules: list[MatchRule] = []
    for conf, prio, party, doc, amount in _DEFAULTS:
        rules.append(MatchRule(
            confidence=conf,
            priority=prio,
            related_party=party,
            doc_no=doc,
            amount=amount,
            direct_debit="yes" if (conf, prio) == ("high", 1) else "not_considered",
            review_required=conf != "high",
            apply_immediately=conf == "high" and prio <= 4,
        ))
    return tuple(rules)


Attrs = tuple[PartyMatch, DocMatch, AmountMatch, DDMatch]

_PARTY: tuple[PartyMatch, ...] = ("fully", "partially", "no")
_DOC: tuple[DocMatch, ...] = ("yes", "no", "yes_multiple")
_AMOUNT: tuple[AmountMatch, ...] = ("one", "multiple", "none")
_DD: tuple[DDMatch, ...] = ("yes", "no", "not_considered")


def _fits(rule: MatchRule, attrs: Attrs) -> bool:
    wanted = (rule.related_party, rule.doc_no, rule.amount, rule.direct_debit)
    return all(w in (_NC, a) for w, a in zip(wanted, attrs, strict=True))


@dataclass(frozen=True, slots=True)
class RuleTable:
    """Pre-computed best rule for every combination of the four match attributes."""

    best: dict[Attrs, MatchRule]
    min_score: int

    @classmethod
    def build(cls, rules: Iterable[MatchRule]) -> RuleTable:
        usable = sorted((r for r in rules if r.confidence != "none"),
                        key=lambda r: r.score, reverse=True)
        best: dict[Attrs, MatchRule] = {}
        for attrs in product(_PARTY, _DOC, _AMOUNT, _DD):
            for rule in usable:
                if _fits(rule, attrs):
                    best[attrs] = rule
                    break
        min_score = min((r.score for r in usable), default=1)
        return cls(best, min_score)

    def lookup(self, attrs: Attrs) -> MatchRule | None:
        """Highest-scoring rule whose fields equal ``attrs`` or are Not Considered."""
        return self.best.get(attrs)


@lru_cache(maxsize=256)
def describe_rule(rule: MatchRule) -> str:
    """Clerk-readable rule summary."""
    def word(value: str) -> str:
        return {"not_considered": "any", "yes_multiple": _("Yes - Multiple"),
                "none": _("No Matches"), "one": _("One Match"),
                "multiple": _("Multiple Matches")}.get(value, value.capitalize())
    return (_("rule {capitalize} P{priority} (related party {related_party}, document no. "
               "{doc_no}, amount {amount}) gives score {score}").format(
               capitalize=rule.confidence.capitalize(), priority=rule.priority,
               related_party=word(rule.related_party), doc_no=word(rule.doc_no),
               amount=word(rule.amount), score=rule.score))
