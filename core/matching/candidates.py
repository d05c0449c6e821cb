"""Candidate generation and rule scoring for one statement line (§3.4 steps 1-6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import comb
from typing import cast

from core.i18n import _
from core.matching.docno import bc_doc_found
from core.matching.index import MatchIndex, PartyKey
from core.matching.lump import find_subsets
from core.matching.model import (
    AccountType,
    AmountMatch,
    BankEntryRef,
    DDMatch,
    DocMatch,
    MatchRule,
    MatchSettings,
    PartyMatch,
    TextMapping,
)
from core.matching.nearness import bc_nearness
from core.matching.rules import Attrs, RuleTable
from core.matching.signals import (
    DOC_STRENGTH,
    NO_PARTY,
    LineCtx,
    entry_fit,
    evaluate_parties,
    find_doc_hits,
    name_candidates,
    resolve_tails,
    scan_amounts,
    tail_parties,
)

DD_OPEN = frozenset({"file_created", "posted"})
DD_APPLIES = frozenset({"file_created", "posted", "closed"})


@dataclass(slots=True)
class Cand:
    """A scored way to apply one line (single entry, group, lump, bank entry, mapping)."""

    pos: int
    kind: str  # "entry" | "group" | "lump" | "bank" | "mapping"
    account_type: AccountType
    account_no: str
    ids: tuple[int, ...]  # entry positions in the index, due-date order
    score: int
    rule: MatchRule | None = None
    attrs: Attrs | None = None
    fine: int = 0
    use_disc: bool = False
    mapping: TextMapping | None = None
    solutions: int = 1  # lump: number of minimal subsets found
    notes: list[str] = field(default_factory=list)
    beyond: str = ""  # evidence of a departure from BC's rule lookup (see departures)
    case: str = ""  # amount case beyond BC: "under" | "over" | "complete" (amount_cases)
    review: str = ""  # a reason this candidate always needs review

    @property
    def key(self) -> tuple[str, tuple[int, ...]]:
        return (self.kind if self.kind in ("bank", "mapping") else "cv", self.ids)


def _acc(ptype: str) -> AccountType:
    return cast(AccountType, ptype)


def _amount_attr(in_range: bool, count: int) -> AmountMatch:
    if not in_range:
        return "none"
    return "one" if count <= 1 else "multiple"


def _dd_attr(ctx: LineCtx, entry_no: int, ptype: str) -> DDMatch:
    if not ctx.dd or ptype != "customer" or not any(d.status in DD_OPEN for d in ctx.dd):
        return "not_considered"
    if any(d.entry_no == entry_no and d.status in DD_APPLIES for d in ctx.dd):
        return "yes"
    return "no"


def _score(table: RuleTable, attrs: Attrs) -> tuple[int, MatchRule | None]:
    rule = table.lookup(attrs)
    return (rule.score, rule) if rule else (0, None)


def _type_allowed(ptype: str, settings: MatchSettings) -> bool:
    return settings.customer_matching if ptype == "customer" else settings.vendor_matching


def _eligible(ctx: LineCtx, index: MatchIndex, i: int, settings: MatchSettings) -> bool:
    """BC: same sign as the line and posted on or before the transaction date."""
    return (ctx.amount * index.rem[i] > 0 and ctx.line.transaction_date >= index.posting[i]
            and _type_allowed(index.entries[i].party_type, settings))


def party_pool(ctx: LineCtx, index: MatchIndex, key: PartyKey,
               settings: MatchSettings) -> list[int]:
    """Eligible entries among the first ``max_party_entries`` of a party (due-date
    order): the entries a fully identified party contributes and the lump search pool."""
    pool = ctx.pools.get(key)
    if pool is None:
        if not _type_allowed(key[0], settings):
            pool = []
        else:
            rem, posting, amount = index.rem, index.posting, ctx.amount
            when = ctx.line.transaction_date
            pool = [i for i in index.party_entries(key)[:settings.max_party_entries]
                    if amount * rem[i] > 0 and when >= posting[i]]
        ctx.pools[key] = pool
    return pool


def _collect_ids(ctx: LineCtx, index: MatchIndex, settings: MatchSettings) -> set[int]:
    """Candidate entries: named documents, amounts within tolerance (whole pool, and
    per related party), direct debits. The other entries of a fully identified party
    (amount outside tolerance, no document named) go to ``ctx.rest`` in due-date order:
    they can only reach the party's "no document, no amount" rule, so only the first few
    become candidates (see ``entry_candidates``)."""
    ids: set[int] = set(ctx.doc_hits)
    for ptype in ("customer", "vendor"):
        ids.update(ctx.in_range.get(ptype, ()))
    for dd in ctx.dd:
        if dd.entry_no in index.by_entry_no:
            ids.add(index.by_entry_no[dd.entry_no])
    when = ctx.line.transaction_date
    for key, ev in ctx.parties.items():
        if ev.value != "no":
            ids.update(index.party_fits(key, ctx.low, ctx.high, when))
    ids = {i for i in ids if _eligible(ctx, index, i, settings)}
    for key, ev in ctx.parties.items():
        if ev.value == "fully":
            ctx.rest[key] = [i for i in party_pool(ctx, index, key, settings)
                             if i not in ids]
    return ids


def prepare(ctx: LineCtx, index: MatchIndex, settings: MatchSettings) -> set[int]:
    """Compute the line's signals and return the eligible candidate entries."""
    ctx.dd = list(index.direct_debits.get(ctx.line.transaction_id, ())) \
        if ctx.line.transaction_id else []
    find_doc_hits(ctx, index, settings)
    for ptype in ("customer", "vendor"):
        scan_amounts(ctx, index, ptype, settings.max_amount_candidates)
    keys: set[PartyKey] = set(name_candidates(ctx, index))
    keys.update(index.party_of(i) for i in ctx.doc_hits)
    keys.update(tail_parties(ctx, index))
    for ptype in ("customer", "vendor"):
        keys.update(index.party_of(i) for i in ctx.in_range[ptype])
    evaluate_parties(ctx, index, settings, keys)
    resolve_tails(ctx, index)
    return _collect_ids(ctx, index, settings)


def _party_count(ctx: LineCtx, index: MatchIndex, key: PartyKey) -> int:
    """Entries of one party within tolerance (all its entries, same sign)."""
    counts = ctx.party_counts
    if counts is None:
        counts = ctx.party_counts = {}
    n = counts.get(key)
    if n is None:
        n = counts[key] = len(index.party_fits(key, ctx.low, ctx.high,
                                               ctx.line.transaction_date))
    return n


def _count(ctx: LineCtx, index: MatchIndex, key: PartyKey, party: PartyMatch,
           settings: MatchSettings) -> int:
    """Entries within tolerance: the party's own when identified (our default), else
    the whole pool of the account type (BC)."""
    if settings.amount_count_per_party and party != "no":
        return _party_count(ctx, index, key)
    return ctx.in_range_count[key[0]]


def entry_candidates(ctx: LineCtx, index: MatchIndex, table: RuleTable, ids: set[int],
                     settings: MatchSettings) -> list[Cand]:
    out = [c for i in ids if (c := _entry_cand(ctx, index, table, i, settings))]
    keep = settings.max_alternatives + 1
    for key, rest in ctx.rest.items():
        made = [c for i in rest[:keep] if (c := _entry_cand(ctx, index, table, i, settings))]
        out += made
        if made and len(rest) > keep:
            ctx.hidden[key] = (made[0].score, len(rest) - keep)
    return out


def _entry_cand(ctx: LineCtx, index: MatchIndex, table: RuleTable, i: int,
                settings: MatchSettings) -> Cand | None:
    e = index.entries[i]
    key = (e.party_type, e.party_no)
    party = ctx.parties.get(key, NO_PARTY)
    in_range, use_disc = entry_fit(ctx, index, i)
    hit = ctx.doc_hits.get(i)
    party_value, beyond = departed_party(ctx, index, key, party.value, hit is not None,
                                         in_range, settings)
    amount = _amount_attr(in_range, _count(ctx, index, key, party_value, settings)) \
        if in_range else "none"
    attrs: Attrs = (party_value, "yes" if hit else "no", amount,
                    _dd_attr(ctx, e.entry_no, e.party_type))
    score, rule = _score(table, attrs)
    if score < table.min_score:
        return None
    fine = (DOC_STRENGTH[hit.kind] if hit else 0) * 1000
    if party.value != "no":  # a name that did not match must not rank candidates
        fine += party.bc + party.fuzzy
    fine += 500 if in_range and index.rem[i] - ctx.amount == 0 else 0
    return Cand(ctx.pos, "entry", e.party_type, e.party_no, (i,), score, rule,
                attrs, fine, use_disc, beyond=beyond)


# --- departures from BC's rule lookup ------------------------------------------------
# BC's related-party attribute only looks at the bank account and the name. A careful
# clerk also reads the party off the document the payer names, and off the amount when
# the name alone is ambiguous. Each departure below only raises the related-party
# attribute that goes into the (unchanged) rule table, is switchable in MatchSettings,
# and leaves a sentence in the evidence saying why.

def departed_party(ctx: LineCtx, index: MatchIndex, key: PartyKey, value: PartyMatch,
                   doc_found: bool, in_range: bool,
                   settings: MatchSettings) -> tuple[PartyMatch, str]:
    """The related-party attribute used for the rule lookup, and why it differs."""
    if value == "fully":
        return value, ""
    if settings.implied_party and doc_found and _implied_party(ctx, index, key, value,
                                                                in_range):
        label = _party_label(index, key)
        if value == "partially":
            return "fully", (
                _("Beyond BC: the document number names an open entry of {label} and the name "
                  "partly matches it; the two signals together identify the party, so the "
                  "related party counts as Fully (BC: Partially).").format(label=label))
        return "fully", (
            _("Beyond BC: the line gives no bank account or name of the payer, but the only "
              "document number in the text belongs to {label} and the amount fits that entry, "
              "so the party is implied and counts as Fully (BC: No).").format(label=label))
    if (settings.name_amount_unique and value == "partially" and in_range
            and all(index.party_of(j) == key for j in ctx.doc_hits)
            and _name_amount_party(ctx, index) == key):
        label = _party_label(index, key)
        return "fully", (
            _("Beyond BC: the name matches several parties only partly, but {label} is the "
              "only one of them with an open entry of this amount; name and amount together "
              "identify the party, so it counts as Fully (BC: Partially).").format(label=label))
    return value, ""


def _party_label(index: MatchIndex, key: PartyKey) -> str:
    name = index.party_name(key)
    return f"{key[0]} {key[1]}" + (f" {name}" if name else "")


def _implied_party(ctx: LineCtx, index: MatchIndex, key: PartyKey, value: PartyMatch,
                   in_range: bool) -> bool:
    """Implied party: every document the text names belongs to ``key`` and no other
    party is identified (bank account, or a name that fully matches).

    * ``key``'s name matches partly: the document settles which of the similarly named
      parties paid, so that is enough.
    * no party signal at all: the line must state no related-party name (a name that
      matches nobody may be a third party paying someone else's invoice), the text must
      name exactly one open entry, its amount must fit, and the text must not match any
      other party's name even partly."""
    if any(index.party_of(j) != key for j in ctx.doc_hits):
        return False
    others = [ev for k, ev in ctx.parties.items() if k != key]
    if any(ev.value == "fully" or ev.via == "bank account" for ev in others):
        return False
    if value == "partially":
        return True
    return (in_range and not ctx.stated_is_name and len(ctx.doc_hits) == 1
            and all(ev.value == "no" for ev in others))


def _name_amount_party(ctx: LineCtx, index: MatchIndex) -> PartyKey | None:
    """The one party whose name matches (at least partly) among ALL open entries of the
    pool with an amount within tolerance; None when there are none, several, or the
    amount scan was cut off (then uniqueness is unknown)."""
    if ctx.name_amount is not None:
        return ctx.name_amount or None
    ctx.name_amount = ()
    found: list[int] = []
    for ptype, ids in ctx.in_range.items():
        if ctx.in_range_count.get(ptype, 0) > len(ids):
            return None
        found += [i for i in ids
                  if ctx.parties.get(index.party_of(i), NO_PARTY).value != "no"]
    if len(found) == 1 and not any(ev.value == "fully" for ev in ctx.parties.values()):
        ctx.name_amount = index.party_of(found[0])
    return ctx.name_amount or None


def _group_total(ctx: LineCtx, index: MatchIndex, ids: tuple[int, ...]) -> tuple[bool, bool]:
    full = sum(index.rem[i] for i in ids)
    net = sum(index.rem[i] - (index.disc[i] if entry_fit_disc(ctx, index, i) else 0)
              for i in ids)
    if ctx.low <= net <= ctx.high and net != full and (
            not ctx.low <= full <= ctx.high or abs(net - ctx.amount) < abs(full - ctx.amount)):
        return True, True
    return ctx.low <= full <= ctx.high, False


def entry_fit_disc(ctx: LineCtx, index: MatchIndex, i: int) -> bool:
    due = index.disc_due[i]
    return bool(index.disc[i]) and due is not None and ctx.line.transaction_date <= due


def group_candidates(ctx: LineCtx, index: MatchIndex, table: RuleTable,
                     ids: set[int], settings: MatchSettings) -> list[Cand]:
    """BC one-to-many: >= 2 entries of one account whose document numbers were found."""
    groups: dict[PartyKey, list[int]] = {}
    for i in sorted(ids):
        if i in ctx.doc_hits:
            groups.setdefault(index.party_of(i), []).append(i)
    built = [(key, tuple(m), *_group_total(ctx, index, tuple(m)))
             for key, m in groups.items() if len(m) >= 2]
    in_range_groups = sum(1 for g in built if g[2])
    out: list[Cand] = []
    for key, members, in_range, use_disc in built:
        party = ctx.parties.get(key, NO_PARTY)
        own_groups = 1 if settings.amount_count_per_party and party.value != "no" else 0
        count = _count(ctx, index, key, party.value, settings) + (
            own_groups or in_range_groups)
        doc: DocMatch = "yes_multiple"
        attrs: Attrs = (party.value, doc, _amount_attr(in_range, count), "not_considered")
        score, rule = _score(table, attrs)
        if score >= table.min_score:
            out.append(Cand(ctx.pos, "group", _acc(key[0]), key[1], members, score, rule, attrs,
                            5000 + party.bc, use_disc))
    return out


def lump_candidates(ctx: LineCtx, index: MatchIndex, table: RuleTable, ids: set[int],
                    singles: list[Cand], settings: MatchSettings) -> list[Cand]:
    """Unlisted lump: exact subset of a fully identified party's entries (our extension;
    a partly identified party could reach Medium only, so it is not searched)."""
    if not settings.lump_search:
        return []
    fitting = {(c.account_type, c.account_no) for c in singles
               if c.attrs is not None and c.attrs[2] != "none"}
    out: list[Cand] = []
    named = {index.party_of(i) for i in ctx.doc_hits}
    for key, ev in ctx.parties.items():
        if ev.value != "fully" or key in fitting or key in named:
            continue
        eligible = party_pool(ctx, index, key, settings)
        pool = eligible[:settings.lump_max_entries]
        # Only part of the party's entries searched: another subset may fit as well.
        partial = (len(eligible) > len(pool)
                   or len(index.party_entries(key)) > settings.max_party_entries)
        if len(pool) >= 2:
            out.extend(_lump_for_party(ctx, index, table, key, pool, settings, partial))
    return out


def _lump_for_party(ctx: LineCtx, index: MatchIndex, table: RuleTable, key: PartyKey,
                    pool: list[int], settings: MatchSettings,
                    partial: bool) -> list[Cand]:
    sign = 1 if ctx.amount > 0 else -1
    low, high = sorted((ctx.low * sign, ctx.high * sign))
    for use_disc in (False, True):
        values = [sign * (index.rem[i] - (index.disc[i] if use_disc and
                                          entry_fit_disc(ctx, index, i) else 0))
                  for i in pool]
        if use_disc and values == [sign * index.rem[i] for i in pool]:
            break
        res = find_subsets(values, low, high, settings.lump_max_size,
                           settings.lump_step_budget)
        if res.solutions:
            risk = (partial or not res.complete
                    or accidental_risk([values[p] for p in res.solutions[0]], values, ctx))
            return _lump_cands(ctx, index, table, key, pool, res.solutions, use_disc,
                               settings, risk)
    return []


def accidental_risk(chosen: list[int], values: list[int], ctx: LineCtx) -> bool:
    """Could a subset of this size hit the amount by chance? Expected number of chance
    hits ~ C(n, k) * window / spread of k-subset sums; above 1 % the lump is treated as
    one of several matches (review) instead of a unique one. (So is a lump found among
    only part of the party's entries, or by a search the step budget cut short.)"""
    k, n = len(chosen), len(values)
    ordered = sorted(abs(v) for v in values)
    spread = max(sum(ordered[-k:]) - sum(ordered[:k]), 1)
    window = abs(ctx.high - ctx.low) + 1
    return comb(n, k) * window / spread > 0.01


def _lump_cands(ctx: LineCtx, index: MatchIndex, table: RuleTable, key: PartyKey,
                pool: list[int], solutions: tuple[tuple[int, ...], ...], use_disc: bool,
                settings: MatchSettings, risky: bool) -> list[Cand]:
    party = ctx.parties[key]
    count = _count(ctx, index, key, party.value, settings) + len(solutions) + int(risky)
    attrs: Attrs = (party.value, "no", _amount_attr(True, count), "not_considered")
    score, rule = _score(table, attrs)
    if score < table.min_score:
        return []
    return [Cand(ctx.pos, "lump", _acc(key[0]), key[1],
                 tuple(pool[p] for p in sol), score, rule, attrs, 0, use_disc,
                 solutions=len(solutions), notes=[_("{count} of {count2} open entries").format(
                                                     count=len(sol), count2=len(pool))])
            for sol in solutions]


def bank_candidates(ctx: LineCtx, index: MatchIndex, table: RuleTable,
                    settings: MatchSettings) -> list[Cand]:
    """Open bank ledger entries of this bank (same rules, party via Bal. Account)."""
    if not settings.bank_ledger_matching or not index.bank:
        return []
    span = index.bank_amounts.between(ctx.low, ctx.high)
    count = len(span)
    out: list[Cand] = []
    for p in span[:settings.max_amount_candidates]:
        b = index.bank[index.bank_amounts.ids[p]]
        found = bank_doc_found(ctx, b, settings)
        party = ctx.parties.get((b.bal_account_type, b.bal_account_no), NO_PARTY)
        attrs: Attrs = (party.value, "yes" if found else "no", _amount_attr(True, count),
                        "not_considered")
        score, rule = _score(table, attrs)
        if score >= table.min_score:
            out.append(Cand(ctx.pos, "bank", "bank_account", settings.bank_account_no,
                            (index.bank_amounts.ids[p],), score, rule, attrs,
                            notes=[found] if found else []))
    return out


def bank_doc_found(ctx: LineCtx, b: BankEntryRef, settings: MatchSettings) -> str:
    """BC's document test for a bank ledger entry: its Document No., then its External
    Doc. No., then (setting "Bank Ledg Closing Doc No Match") the document numbers of
    the customer/vendor entries its posting closed. Returns the evidence sentence,
    '' when the text names none of them."""
    for label, doc in ((_("document no."), b.document_no),
                       (_("external document no."), b.external_document_no)):
        if doc and _bc_found(doc, ctx):
            return (_("The {label} {doc} of open bank entry {entry_no} was found in the "
                      "transaction text.").format(label=label, doc=doc, entry_no=b.entry_no))
    if settings.bank_closing_doc_no_match:
        for doc in b.closing_document_nos:
            if _bc_found(doc, ctx):
                return (_("The transaction text names document {doc}, which the posting of "
                          "open bank entry {entry_no} ({document_no}) closed (setting Bank "
                          "ledger closing doc. no. match).").format(
                            doc=doc, entry_no=b.entry_no, document_no=b.document_no))
    return ""


def _bc_found(doc: str, ctx: LineCtx) -> bool:
    return bc_doc_found(doc, ctx.search_text)


def mapping_candidates(ctx: LineCtx, index: MatchIndex, mappings: tuple[TextMapping, ...],
                       settings: MatchSettings) -> list[Cand]:
    """Text-to-account mappings (§4): score 3000 + LCS length + 1 for containment."""
    out: list[Cand] = []
    text = ctx.line.text.upper()
    for m in mappings:
        needle = m.mapping_text.strip().upper()
        if not needle or needle not in text:
            continue
        score = min(3000 + len(needle) + 1, 3499)
        bank = _mapped_bank_entry(ctx, index, m)
        if bank is not None:
            out.append(Cand(ctx.pos, "bank", "bank_account", settings.bank_account_no,
                            (bank,), score, mapping=m, notes=[_("open bank entry")]))
            continue
        acc_type, acc_no = mapping_target(m, ctx.amount)
        out.append(Cand(ctx.pos, "mapping", acc_type, acc_no, (), score, mapping=m))
    return out


def mapping_target(m: TextMapping, amount: int) -> tuple[AccountType, str]:
    if m.bal_source_type == "gl_account":
        return "gl_account", (m.debit_acc_no if amount >= 0 else m.credit_acc_no)
    return m.bal_source_type, m.bal_source_no


def _mapped_bank_entry(ctx: LineCtx, index: MatchIndex, m: TextMapping) -> int | None:
    """BC: an open bank entry with the mapping's balancing account, same amount,
    posting date within 2 days and a description near the mapping text."""
    acc_type, acc_no = mapping_target(m, ctx.amount)
    for p in index.bank_amounts.between(ctx.amount, ctx.amount):
        i = index.bank_amounts.ids[p]
        b = index.bank[i]
        days = abs((b.posting_date - ctx.line.transaction_date).days)
        if (b.bal_account_type == acc_type and b.bal_account_no == acc_no and days <= 2
                and bc_nearness(m.mapping_text, b.description) >= 95):
            return i
    return None
