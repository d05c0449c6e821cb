"""Per-line signals: related party, document numbers, amount range (§3.4 step 3)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from core.i18n import _
from core.kernel.money import round_to_minor
from core.matching.amounts import amount_range, discount_applies
from core.matching.docno import (
    TextNumber,
    bc_doc_found,
    doc_key,
    read_as,
    text_numbers,
)
from core.matching.index import MatchIndex, PartyKey
from core.matching.model import BankLine, DirectDebitRef, MatchSettings, PartyMatch
from core.matching.nearness import (
    NAME_THRESHOLD,
    bc_name_nearness,
    exact_with_permutations,
    fuzzy_key_similarity,
)
from core.matching.normalize import name_key, name_tokens, norm_account, words

FUZZY_NAME_THRESHOLD = 90  # whole related-party name vs master name
FUZZY_TEXT_THRESHOLD = 95  # master name inside free transaction text
MAX_TOKEN_PARTIES = 300  # name tokens shared by more parties do not generate candidates
MAX_DOC_FANOUT = 50  # a number shared by more documents is not discriminating
MAX_TAIL_FANOUT = 200  # a numeric part shared by more documents is never read alone
TAIL_DIGITS_ALL = 5  # numeric part alone, unique among all open documents
TAIL_DIGITS_PARTY = 4  # numeric part alone, unique among the payer's open documents
DocKind = Literal["payment_reference", "structured", "exact", "tolerant", "tail"]
DOC_STRENGTH: dict[str, int] = {"payment_reference": 5, "structured": 4, "exact": 3,
                                "tolerant": 2, "tail": 1}


@dataclass(frozen=True, slots=True)
class PartyEval:
    value: PartyMatch
    via: str  # "bank account", "name", "name+address", "unique name", ""
    bc: int = 0
    fuzzy: int = 0


NO_PARTY = PartyEval("no", "")


@dataclass(frozen=True, slots=True)
class DocHit:
    kind: DocKind
    written: str
    field: str  # "document no." / "external document no." / "payment reference"
    form: str = ""  # how a tolerant number was read ("prefix spaced", ...)
    doc: str = ""  # the document number it was read as


@dataclass(slots=True)
class LineCtx:
    """Everything computed once per statement line."""

    pos: int
    line: BankLine
    amount: int
    low: int
    high: int
    search_text: str
    stated: str
    stated_is_name: bool
    stated_key: str  # name_key(stated)
    numbers: list[TextNumber]
    iban: str
    parties: dict[PartyKey, PartyEval] = field(default_factory=dict)
    doc_hits: dict[int, DocHit] = field(default_factory=dict)
    in_range: dict[str, list[int]] = field(default_factory=dict)
    in_range_count: dict[str, int] = field(default_factory=dict)
    dd: list[DirectDebitRef] = field(default_factory=list)
    party_counts: dict[PartyKey, int] | None = None
    name_amount: PartyKey | tuple[()] | None = None  # () = computed, no unique party
    # fully identified parties: eligible entries that fit neither amount nor document
    rest: dict[PartyKey, list[int]] = field(default_factory=dict)
    pools: dict[PartyKey, list[int]] = field(default_factory=dict)  # see party_pool
    # party -> (score, number) of such entries not turned into candidates
    hidden: dict[PartyKey, tuple[int, int]] = field(default_factory=dict)
    # "Enable Apply Immediatelly" stopped the search: the sentence saying so, else ""
    immediate: str = ""
    # numbers that may be the numeric part alone of several documents: (number, the
    # documents whose last digit group it is, every open document carrying it)
    tails: list[tuple[TextNumber, list[int], set[int]]] = field(default_factory=list)
    # per party whose named documents add up to less than the amount: "found" (other
    # entries complete them), "none" (a complete search found none), "unknown"
    completed: dict[PartyKey, str] = field(default_factory=dict)
    # numbers that are the numeric part only of several open documents, none of them the
    # payer's (a text naming other parties' documents: see engine._conflict)
    foreign: list[tuple[TextNumber, list[int]]] = field(default_factory=list)


def make_ctx(pos: int, line: BankLine, settings: MatchSettings, currency: str) -> LineCtx:
    low, high = amount_range(line.amount, settings.tolerance_type, settings.tolerance_value)
    search = f"{line.text} {line.additional_info}".upper()
    stated = line.related_party_name.strip()
    numbers = text_numbers(search)
    if line.payment_reference:
        numbers += text_numbers(line.payment_reference)
    return LineCtx(
        pos=pos, line=line, amount=round_to_minor(line.amount, currency),
        low=round_to_minor(low, currency), high=round_to_minor(high, currency), search_text=search,
        stated=stated or line.text, stated_is_name=bool(stated),
        stated_key=name_key(stated or line.text),
        numbers=numbers, iban=norm_account(line.related_party_iban),
    )


# --- related party -----------------------------------------------------------------

def name_candidates(ctx: LineCtx, index: MatchIndex, limit: int = 8) -> list[PartyKey]:
    """Parties sharing rare name tokens with the stated name (or the text).

    Weight of a party = sum of 1/(number of parties with the token) over the tokens it
    shares; the ``limit`` heaviest are returned (ties by party). Only parties sharing
    two or more tokens (set intersections) and the first ``limit`` parties of each
    token can be among them, so the long token lists are never walked in Python.
    """
    memo = ("parties", ctx.stated, ctx.stated_is_name, limit)
    found: list[PartyKey] | None = index.memo.get(memo)
    if found is None:
        found = index.memo[memo] = _name_candidates(ctx, index, limit)
    return list(found)


def _name_candidates(ctx: LineCtx, index: MatchIndex, limit: int) -> list[PartyKey]:
    toks = name_tokens(ctx.stated) if ctx.stated_is_name else [
        t for t in words(ctx.stated) if len(t) >= 3 and not t.isdigit()]
    found = sorted((len(keys), tok, keys) for tok in set(toks)
                   if (keys := index.tokens.get(tok)) and len(keys) <= MAX_TOKEN_PARTIES)
    if not found:
        return []
    weight: dict[PartyKey, float] = {}
    if len(found) > 1:
        sets = [index.token_sets[tok] for _, tok, _ in found]
        multi: set[PartyKey] = set()
        for a in range(len(sets)):
            for b in range(a + 1, len(sets)):
                multi.update(sets[a] & sets[b])
        for (df, _, _), members in zip(found, sets, strict=True):
            for key in multi.intersection(members):
                weight[key] = weight.get(key, 0.0) + 1.0 / df
    for df, _, keys in found:
        taken = 0
        for key in keys:
            if key not in weight:
                weight[key] = 1.0 / df
                taken += 1
                if taken >= limit:
                    break
    return sorted(weight, key=lambda k: (-weight[k], k))[:limit]


def _name_eval(ctx: LineCtx, index: MatchIndex, key: PartyKey,
               settings: MatchSettings) -> PartyEval:
    """The name signal of one party for the line's stated name (or text); the same
    payer name comes back on many lines, so the answer is kept in ``index.memo``."""
    memo = ("name", key, ctx.stated, ctx.stated_is_name, settings.name_matching,
            settings.fuzzy_names)
    found: PartyEval | None = index.memo.get(memo)
    if found is None:
        found = index.memo[memo] = _name_eval_new(ctx, index, key, settings)
    return found


def _name_eval_new(ctx: LineCtx, index: MatchIndex, key: PartyKey,
                   settings: MatchSettings) -> PartyEval:
    info = index.parties.get(key)
    if info is None or settings.name_matching == "disabled":
        return NO_PARTY
    name = info.ref.name
    limit = FUZZY_NAME_THRESHOLD if ctx.stated_is_name else FUZZY_TEXT_THRESHOLD
    # Below the threshold the similarity decides nothing and is never shown: cut off.
    fuzzy = (fuzzy_key_similarity(info.name_key, ctx.stated_key, ctx.stated_is_name, limit)
             if settings.fuzzy_names else 0)
    if settings.name_matching == "exact_with_permutations":
        bc = 100 if exact_with_permutations(name, ctx.stated) else 0
    else:  # the exact nearness is only needed when it decides or is shown
        bc = bc_name_nearness(name, ctx.stated, 0 if fuzzy >= limit else NAME_THRESHOLD)
    if bc >= NAME_THRESHOLD or fuzzy >= limit:
        if fuzzy < limit and settings.fuzzy_names:  # shown in the evidence: exact value
            fuzzy = fuzzy_key_similarity(info.name_key, ctx.stated_key, ctx.stated_is_name)
        return PartyEval("partially", "name", bc, fuzzy)
    return PartyEval("no", "", bc, fuzzy)


def _address_matches(ctx: LineCtx, index: MatchIndex, key: PartyKey) -> bool:
    ref = index.parties[key].ref
    line = ctx.line
    return (ctx.stated_is_name and bool(line.related_party_city and line.related_party_address)
            and line.related_party_city.strip().upper() == ref.city.strip().upper()
            and line.related_party_address.strip().upper() == ref.address.strip().upper())


def evaluate_parties(ctx: LineCtx, index: MatchIndex, settings: MatchSettings,
                     keys: set[PartyKey]) -> None:
    """Fill ``ctx.parties`` for ``keys``: bank account, then name, then address/unique."""
    iban_keys = set(index.iban.get(ctx.iban, ())) if ctx.iban else set()
    for key in keys | iban_keys:
        if key in ctx.parties:
            continue
        ctx.parties[key] = (PartyEval("fully", "bank account") if key in iban_keys
                            else _name_eval(ctx, index, key, settings))
    partial_by_type: defaultdict[str, list[PartyKey]] = defaultdict(list)
    for key, ev in ctx.parties.items():
        if ev.value == "partially":
            partial_by_type[key[0]].append(key)
    for ptype_keys in partial_by_type.values():
        for key in ptype_keys:
            ev = ctx.parties[key]
            if _address_matches(ctx, index, key):
                ctx.parties[key] = PartyEval("fully", "name+address", ev.bc, ev.fuzzy)
            elif len(ptype_keys) == 1 and index.parties[key].unique_name:
                ctx.parties[key] = PartyEval("fully", "unique name", ev.bc, ev.fuzzy)


# --- document numbers --------------------------------------------------------------

def _verify(ctx: LineCtx, index: MatchIndex, i: int, number: TextNumber | None,
            tolerant: bool, tail_digits: int = 0) -> DocHit | None:
    e = index.entries[i]
    docs = (("document no.", e.document_no), ("external document no.", e.external_document_no))
    for label, doc in docs:
        if doc and bc_doc_found(doc, ctx.search_text):
            return DocHit("exact", doc, label, doc=doc)
    if not tolerant or number is None:
        return None
    for label, doc in docs:
        key = doc_key(doc) if doc else None
        form = read_as(key, number, tail_digits) if key is not None else None
        if form is not None:
            kind: DocKind = "tail" if form.startswith("numeric part only") else "tolerant"
            return DocHit(kind, number.raw, label, form, doc)
    return None


def _add_hit(ctx: LineCtx, i: int, hit: DocHit) -> None:
    old = ctx.doc_hits.get(i)
    if old is None or DOC_STRENGTH[hit.kind] > DOC_STRENGTH[old.kind]:
        ctx.doc_hits[i] = hit


def _number_ids(index: MatchIndex, number: TextNumber) -> list[int]:
    """Documents whose key or joined digits equal the number (not yet verified)."""
    ids = list(index.doc_tolerant.get(number.key, ()))
    if not number.compact:
        ids += index.doc_compact.get(number.key, ())
    else:
        ids += index.doc_tolerant.get(number.compact, ())
        ids += index.doc_compact.get(number.compact, ())
    return ids


def _structured_hits(ctx: LineCtx, index: MatchIndex, settings: MatchSettings) -> None:
    line = ctx.line
    if line.payment_reference:
        for i in index.payref.get(norm_account(line.payment_reference), ()):
            _add_hit(ctx, i, DocHit("payment_reference", line.payment_reference,
                                    "payment reference"))
    for ref in line.referred_documents:
        ids = index.doc_exact.get(norm_account(ref), [])
        if len(ids) <= MAX_DOC_FANOUT:
            for i in ids:
                _add_hit(ctx, i, DocHit("structured", ref, "document no."))
        if ids or not settings.tolerant_doc_numbers:
            continue
        for number in text_numbers(ref):
            found = _number_ids(index, number)
            for i in found if len(found) <= MAX_DOC_FANOUT else ():
                hit = _verify(ctx, index, i, number, True)
                if hit is not None:
                    _add_hit(ctx, i, DocHit("structured", ref, "document no.", hit.form,
                                            hit.doc))


def find_doc_hits(ctx: LineCtx, index: MatchIndex, settings: MatchSettings) -> None:
    """Entries whose document no./external doc. no./payment reference the line names.
    Numbers that can only be the numeric part of documents go to ``ctx.tails`` (see
    ``resolve_tails``, once the parties are known)."""
    _structured_hits(ctx, index, settings)
    seen: set[int] = set()
    tolerant = settings.tolerant_doc_numbers
    for number in ctx.numbers:
        ids = _number_ids(index, number)
        if len(ids) > MAX_DOC_FANOUT:
            continue
        for i in ids:
            hit = _verify(ctx, index, i, number, tolerant)
            if hit is not None:
                _add_hit(ctx, i, hit)
                seen.add(i)
        if tolerant and number.whole and not number.compact:
            tails = index.doc_tail.get(number.key, [])
            if tails and len(tails) <= MAX_TAIL_FANOUT:
                ctx.tails.append((number, list(tails), set(ids) | set(tails)))
    for word in dict.fromkeys(words(ctx.search_text)):  # ordered: same input, same hits
        exact = index.doc_exact.get(word, ()) if len(word) >= 4 else ()
        for i in exact if len(exact) <= MAX_DOC_FANOUT else ():
            if i not in seen and (hit := _verify(ctx, index, i, None, False)):
                _add_hit(ctx, i, hit)


def tail_parties(ctx: LineCtx, index: MatchIndex) -> set[PartyKey]:
    """Parties of the documents a numeric part alone may name (few, to evaluate)."""
    return {index.party_of(i) for _, tails, _ in ctx.tails if len(tails) <= 8 for i in tails}


def resolve_tails(ctx: LineCtx, index: MatchIndex) -> None:
    """A number that is only the numeric part of documents ("FACT 57621" for
    F2026-57621) names a document when it is the only open document carrying that
    number, or the only one of the parties the line identifies (bank account or name)."""
    payer = {k for k, ev in ctx.parties.items() if ev.value != "no"}
    for number, tails, carrying in ctx.tails:
        if len(carrying) == 1:
            i = tails[0]
            hit = _verify(ctx, index, i, number, True, TAIL_DIGITS_ALL)
            note = _("the only open document with this number")
        else:
            mine = [i for i in carrying if index.party_of(i) in payer]
            if (not mine and len(number.key) >= TAIL_DIGITS_ALL
                    and not number.label.startswith("!")):
                ctx.foreign.append((number, sorted(carrying)))
            if len(mine) != 1 or mine[0] not in tails:
                continue
            i = mine[0]
            hit = _verify(ctx, index, i, number, True, TAIL_DIGITS_PARTY)
            key = index.party_of(i)
            note = _("the only open document of {party_type} {party_no} with this "
                     "number").format(party_type=key[0], party_no=key[1])
        if hit is not None and i not in ctx.doc_hits:
            ctx.doc_hits[i] = DocHit(hit.kind, hit.written, hit.field,
                                     f"{hit.form}; {note}" if hit.kind == "tail" else hit.form,
                                     hit.doc)


# --- amounts -----------------------------------------------------------------------

def entry_fit(ctx: LineCtx, index: MatchIndex, i: int) -> tuple[bool, bool]:
    """(amount within tolerance, matched with the payment discount)."""
    rem = index.rem[i]
    full_ok = ctx.low <= rem <= ctx.high
    disc = index.disc[i]
    if discount_applies(disc, index.disc_due[i], ctx.line.transaction_date):
        net = rem - disc
        if ctx.low <= net <= ctx.high and (
                not full_ok or abs(net - ctx.amount) < abs(rem - ctx.amount)):
            return True, True
    return full_ok, False


def scan_amounts(ctx: LineCtx, index: MatchIndex, ptype: str, cap: int) -> None:
    """Entries of ``ptype`` (whole pool) whose applicable amount is within tolerance."""
    found: list[int] = []
    seen: set[int] = set()
    sorted_rem = index.amounts.get(ptype)
    if sorted_rem is not None:
        for p in sorted_rem.between(ctx.low, ctx.high)[:cap + 1]:
            found.append(sorted_rem.ids[p])
            seen.add(sorted_rem.ids[p])
    sorted_disc = index.disc_amounts.get(ptype)
    if sorted_disc is not None:
        for p in sorted_disc.between(ctx.low, ctx.high)[:200]:
            i = sorted_disc.ids[p]
            if i not in seen and discount_applies(index.disc[i], index.disc_due[i],
                                                  ctx.line.transaction_date):
                found.append(i)
                seen.add(i)
            if len(found) > cap:
                break
    ctx.in_range[ptype] = found[:cap]
    ctx.in_range_count[ptype] = len(found)
