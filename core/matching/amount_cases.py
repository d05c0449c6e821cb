"""Amounts that differ from the named documents, beyond BC (each a switchable setting).

BC sends every line whose amount differs from the document it names to Medium for
review, even when bank account and document leave no doubt; a clerk then accepts it
every time. Here, when the party is certain (bank account, unique name, or name plus
document) and the text names exactly ONE of its open documents:

* ``apply_underpayments``: a smaller amount (a partial payment, or short by the payer's
  bank charges) is applied to that document and the rest stays open, or, when the
  shortfall is within the document's payment tolerance (``OpenEntryRef.
  max_payment_tolerance``, set only when the setup allows it), posting closes the
  document and posts the shortfall to the payment tolerance account (BC's payment
  tolerance, bc-spec §12: an application within tolerance of the remaining closes it);
* ``apply_overpayments``: a larger amount closes the document and the excess stays
  unapplied on the party's account;

provided no other open entry of the party has exactly the amount (then which one was
paid is a question for the clerk). And ``complete_lumps``: documents named in the text
that add up to less than the amount are completed by the party's other open entries
when exactly one set fits (bounded exact search, the named ones always included).

Each departure scores the candidate with the rule BC would use had the amount matched
(so a rule table edit still governs it), ranks it after every candidate whose amount
really matches, and leaves a sentence in the evidence saying what stays open or
unapplied.
"""

from __future__ import annotations

from datetime import date

from core.i18n import _
from core.kernel.money import exponent
from core.matching.amounts import discount_applies
from core.matching.candidates import (
    Cand,
    accidental_risk,
    departed_party,
)
from core.matching.evidence import entry_label, money_text, party_label
from core.matching.index import MatchIndex, PartyKey
from core.matching.lump import find_subsets
from core.matching.model import MatchSettings
from core.matching.rules import Attrs, RuleTable
from core.matching.signals import NO_PARTY, LineCtx

RANK_AFTER_MATCHES = 100_000  # subtracted from ``fine``: real amount matches go first
COMPLETION_POOL = 150  # other open entries of the party searched to complete a lump
COMPLETION_SIZE = 3  # at most this many unnamed entries complete the named ones
SHORT_SHARE = 0.05  # at most 5 % short: "short by ..., e.g. the payer's bank charges"


def completion_candidates(ctx: LineCtx, index: MatchIndex, table: RuleTable,
                          ids: set[int], settings: MatchSettings) -> list[Cand]:
    """Named documents of one party, completed to the amount by its other entries.
    Records the outcome per party in ``ctx.completed`` (an overpayment is only applied
    when a complete search found no completion)."""
    if not settings.complete_lumps:
        return []
    named: dict[PartyKey, list[int]] = {}
    for i in sorted(ctx.doc_hits):
        if i in ids:
            named.setdefault(index.party_of(i), []).append(i)
    out: list[Cand] = []
    for key, docs in named.items():
        party = ctx.parties.get(key, NO_PARTY)
        value, _ = departed_party(ctx, index, key, party.value, True, False, settings)
        if value != "fully":
            continue
        out += _complete(ctx, index, table, key, docs, settings)
    return out


def _pool(ctx: LineCtx, index: MatchIndex, key: PartyKey, docs: list[int]) -> list[int]:
    """The party's other eligible entries (same sign, posted by the line's date)."""
    when, amount = ctx.line.transaction_date, ctx.amount
    return [i for i in index.party_entries(key)
            if i not in docs and amount * index.rem[i] > 0 and when >= index.posting[i]]


def _complete(ctx: LineCtx, index: MatchIndex, table: RuleTable, key: PartyKey,
              docs: list[int], settings: MatchSettings) -> list[Cand]:
    total = sum(abs(index.rem[i]) for i in docs)
    low, high = sorted((abs(ctx.low), abs(ctx.high)))
    if total >= low:
        return []  # the named documents fit, or already exceed the amount
    eligible = _pool(ctx, index, key, docs)
    pool = eligible[:COMPLETION_POOL]
    values = [abs(index.rem[i]) for i in pool]
    res = find_subsets(values, low - total, high - total,
                       min(COMPLETION_SIZE, settings.lump_max_size),
                       settings.lump_step_budget, min_size=1)
    searched = res.complete and len(eligible) == len(pool)
    if not res.solutions:
        ctx.completed[key] = "none" if searched else "unknown"
        return []
    ctx.completed[key] = "found"
    chosen = [values[p] for p in res.solutions[0]]
    # Round amounts (whole tens) add up by chance far more often than the spread of the
    # amounts suggests: such a completion is one possibility, not the answer.
    unique = (len(res.solutions) == 1 and searched and not accidental_risk(chosen, values, ctx)
              and not all(v % (10 * 10 ** exponent(index.currency)) == 0
                          for v in chosen))
    attrs: Attrs = ("fully", "yes_multiple", "one" if unique else "multiple",
                    "not_considered")
    rule = table.lookup(attrs)
    if rule is None:
        return []
    named = ", ".join(entry_label(index, i) for i in docs)
    out: list[Cand] = []
    for sol in res.solutions:
        added = [pool[p] for p in sol]
        extra = ", ".join(f"{entry_label(index, i)} ({money_text(abs(index.rem[i]), index)})"
                          for i in added)
        members = tuple(sorted(docs + added))  # index order is due-date order
        how = (_("the only set that does") if unique else
               _("one of {count}+ sets that do, so a clerk must choose").format(
                  count=len(res.solutions)))
        beyond = (_("Beyond BC (setting Complete lump payments): the text names {named} "
                     "of {index}, together {total}; the other open entries {extra} "
                     "complete the amount {money_text} exactly, {how} among its {count} "
                     "other open entries.").format(named=named, index=party_label(index, *key),
                     total=money_text(total, index), extra=extra,
                     money_text=money_text(abs(ctx.amount), index), how=how, count=len(pool)))
        out.append(Cand(ctx.pos, "lump", key[0], key[1], members,  # type: ignore[arg-type]
                        rule.score, rule, attrs, 5000, case="complete", beyond=beyond,
                        review="" if unique else _("Sent to review: the named documents can "
                        "be completed to the amount in more than one way."),
                        notes=[_("{count} of {value} open entries").format(count=len(members),
                                  value=len(pool) + len(docs))]))
    return out


def upgrade_amount_cases(ctx: LineCtx, index: MatchIndex, table: RuleTable,
                         singles: list[Cand], settings: MatchSettings) -> None:
    """Raise single-document candidates whose amount differs (see module doc)."""
    if not (settings.apply_underpayments or settings.apply_overpayments):
        return
    for c in singles:
        if c.kind != "entry" or c.attrs is None or c.attrs[:3] != ("fully", "yes", "none"):
            continue
        key: PartyKey = (c.account_type, c.account_no)
        i = c.ids[0]
        if ctx.parties.get(key, NO_PARTY).value == "no":
            continue  # the document alone does not make the party certain
        if [j for j in ctx.doc_hits if index.party_of(j) == key] != [i]:
            continue
        if index.party_fits(key, ctx.low, ctx.high, ctx.line.transaction_date):
            continue  # another entry of the party has the amount: which was paid?
        rem, amount = abs(index.rem[i]), abs(ctx.amount)
        under = amount < rem
        if not (settings.apply_underpayments if under else settings.apply_overpayments):
            continue
        if not under and settings.complete_lumps and ctx.completed.get(key) != "none":
            continue  # other entries may explain the excess (a lump naming one invoice)
        rule = table.lookup(("fully", "yes", "one", c.attrs[3]))
        if rule is None or rule.score <= c.score:
            continue
        c.score, c.rule, c.case = rule.score, rule, "under" if under else "over"
        c.fine -= RANK_AFTER_MATCHES
        c.beyond = _case_sentence(ctx, index, c, rem, amount)


def within_tolerance(index: MatchIndex, i: int, short: int, when: date) -> bool:
    """A payment on ``when`` ``short`` (minor units, > 0) of entry ``i``'s remaining closes
    it through payment tolerance: the setup gave the entry a tolerance, no payment
    discount is possible at that date, and the shortfall is within the tolerance."""
    return (0 < short <= index.tol[i]
            and not discount_applies(index.disc[i], index.disc_due[i], when))


def _case_sentence(ctx: LineCtx, index: MatchIndex, c: Cand, rem: int, amount: int) -> str:
    label = entry_label(index, c.ids[0])
    party = party_label(index, c.account_type, c.account_no)
    how = (_("bank account") if ctx.parties[(c.account_type, c.account_no)].via == "bank account"
           else _("name and document"))
    gap = money_text(abs(rem - amount), index)
    head = (_("the party is certain ({how}) and the text names only {label}, whose "
               "remaining amount is {rem}").format(how=how, label=label,
               rem=money_text(rem, index)))
    if c.case == "under" and within_tolerance(index, c.ids[0], rem - amount,
                                              ctx.line.transaction_date):
        return (_("Beyond BC (setting Apply underpayments automatically): {head}; the "
                  "payment {amount} is short by {gap}, within the payment tolerance of "
                  "{label} (at most {tolerance}). It is applied to {label}; posting closes "
                  "{label} and posts {gap} to the payment tolerance account.").format(
                      head=head, amount=money_text(amount, index), gap=gap, label=label,
                      tolerance=money_text(index.tol[c.ids[0]], index)))
    if c.case == "under":
        kind = (
            _("short by {gap}, e.g. the payer's bank charges").format(gap=gap)
            if rem - amount <= rem * SHORT_SHARE
            else _("a partial payment, {gap} less").format(gap=gap)
        )
        return (_("Beyond BC (setting Apply underpayments automatically): {head}; the "
                   "payment {amount} is {kind}. It is applied to {label} and {gap} stays "
                   "open on {label}.").format(head=head, amount=money_text(amount, index),
                   kind=kind, label=label, gap=gap))
    return (_("Beyond BC (setting Apply overpayments automatically): {head}; the payment "
               "{amount} is {gap} more. {label} is closed and {gap} stays as an "
               "unapplied payment on {party}.").format(head=head, amount=money_text(amount, index),
               gap=gap, label=label[0].upper() + label[1:], party=party))
