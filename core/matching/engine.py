"""Payment matching engine: statement lines + index -> proposals (pure, no database).

Follows BC's "Match Bank Payments" (§3.4) and goes beyond it:
1. never High when a second candidate is equally good (same score, other entries):
   Medium at most, review required, both listed;
2. an entry is never applied beyond its remaining amount across lines; a line whose
   better candidate was used up by another line falls back to review;
3. every proposal explains itself (signals, rule, runner-up and why it lost);
4. a document named for another party than the one the bank account identifies is a
   conflict: Medium at most, review required.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from core.i18n import N_, _
from core.kernel.gcpause import gc_paused
from core.kernel.money import from_minor, round_to_minor
from core.matching.amount_cases import completion_candidates, upgrade_amount_cases
from core.matching.assign import Allocation, Ledger, WalkResult, allocate
from core.matching.candidates import (
    Cand,
    bank_candidates,
    entry_candidates,
    group_candidates,
    lump_candidates,
    mapping_candidates,
    prepare,
)
from core.matching.docno import doc_key, one_typo_apart
from core.matching.evidence import (
    amount_sentence,
    doc_sentences,
    entry_label,
    party_sentence,
    rule_sentence,
    summary,
    why_lost,
)
from core.matching.index import MatchIndex, PartyKey
from core.matching.model import (
    Alternative,
    Application,
    BankLine,
    Confidence,
    MatchRule,
    MatchSettings,
    Proposal,
    TextMapping,
)
from core.matching.parallel import LineJob, run_forked, run_serial, use_fork
from core.matching.rules import RuleTable, default_rules
from core.matching.signals import NO_PARTY, LineCtx, entry_fit, make_ctx

_EMPTY: Mapping[int, Proposal] = {}


def match_lines(lines: Sequence[BankLine], index: MatchIndex,
                rules: Iterable[MatchRule] | None = None,
                settings: MatchSettings | None = None,
                mappings: Iterable[TextMapping] = (),
                keep: Mapping[int, Proposal] = _EMPTY,
                workers: int | None = None) -> list[Proposal]:
    """Propose an application for every line (in input order).

    ``keep`` maps line_no -> a manual/accepted proposal: it is returned unchanged and
    its applications count against the entries' remaining amounts.

    ``workers``: 2 lets a forked process compute half of the lines (same proposals as
    the serial run, see ``core.matching.parallel``), 1 keeps the run serial; None
    decides (``LETTRAGE_MATCH_WORKERS``, the number of lines, an idle core, the
    threads running, fork support).
    """
    with gc_paused():
        job = _job(index, rules, settings, mappings, keep)
        if use_fork(len(lines), workers):
            done = run_forked(lines, job)
            if done is not None:
                return done
        return run_serial(lines, job)


def _job(index: MatchIndex, rules: Iterable[MatchRule] | None,
         settings: MatchSettings | None, mappings: Iterable[TextMapping],
         keep: Mapping[int, Proposal]) -> LineJob:
    settings = settings or MatchSettings()
    table = RuleTable.build(default_rules() if rules is None else rules)
    maps = tuple(mappings)
    cfg = settings  # bound for the closures below (mypy: not Optional)

    def candidates(pos: int, line: BankLine) -> tuple[LineCtx, list[Cand]]:
        ctx = make_ctx(pos, line, cfg, index.currency)
        skip = line.line_no in keep or ctx.amount == 0
        return ctx, ([] if skip else line_candidates(ctx, index, table, cfg, maps))

    def proposal(ctx: LineCtx, cands: list[Cand], result: WalkResult) -> Proposal:
        kept = keep.get(ctx.line.line_no)
        return kept if kept is not None else build_proposal(ctx, cands, result, index, cfg)

    def ledger() -> Ledger:
        fresh = Ledger(index)
        _reserve_kept(keep, index, fresh)
        return fresh

    return LineJob(candidates, proposal, ledger, index.currency)


def _reserve_kept(keep: Mapping[int, Proposal], index: MatchIndex, ledger: Ledger) -> None:
    for proposal in keep.values():
        space = "bank" if proposal.account_type == "bank_account" else "cv"
        lookup = index.bank_by_entry_no if space == "bank" else index.by_entry_no
        for app in proposal.applications:
            i = lookup.get(app.entry_no)
            if i is not None:
                ledger.take(space, i, abs(round_to_minor(app.applied_amount, index.currency)),
                            proposal.line_no)


def line_candidates(ctx: LineCtx, index: MatchIndex, table: RuleTable,
                    settings: MatchSettings, mappings: tuple[TextMapping, ...]) -> list[Cand]:
    """All scored candidates of one line, one per distinct set of entries."""
    ids = prepare(ctx, index, settings)
    singles = entry_candidates(ctx, index, table, ids, settings)
    skipped = _stop_search(ctx, singles, index) if settings.apply_immediately else ()
    if skipped:
        ids = {i for i in ids if index.entries[i].party_type not in skipped}
        singles = [c for c in singles if c.account_type not in skipped]
        ctx.hidden = {k: v for k, v in ctx.hidden.items() if k[0] not in skipped}
    cands = singles + group_candidates(ctx, index, table, ids, settings)
    cands += completion_candidates(ctx, index, table, ids, settings)
    upgrade_amount_cases(ctx, index, table, singles, settings)
    cands += lump_candidates(ctx, index, table, ids, singles, settings)
    if skipped:
        cands = [c for c in cands if c.account_type not in skipped]
    if "bank_account" not in skipped:
        cands += bank_candidates(ctx, index, table, settings)
    cands += mapping_candidates(ctx, index, mappings, settings)
    best: dict[tuple[str, tuple[int, ...]], Cand] = {}
    for c in cands:
        old = best.get(c.key)
        if old is None or (c.score, c.fine) > (old.score, old.fine):
            best[c.key] = c
    return list(best.values())


_SEARCH_ORDER: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("customer", ("vendor", "bank_account"), N_("vendor and bank ledger entries were")),
    ("vendor", ("bank_account",), N_("bank ledger entries were")),
)


def _stop_search(ctx: LineCtx, singles: list[Cand], index: MatchIndex) -> tuple[str, ...]:
    """BC "Enable Apply Immediatelly" (§3.4 step 8): BC searches customer entries, then
    vendor entries, then bank ledger entries; once an entry hits a rule with Apply
    Immediately, the later kinds are not searched for this line. Returns the account
    types left out (and records why in ``ctx.immediate``). Unlike BC, every entry of the
    kind that hit is still scored, so an equally good second entry still means review."""
    for ptype, skipped, what in _SEARCH_ORDER:
        hits = [c for c in singles if c.account_type == ptype and c.rule is not None
                and c.rule.apply_immediately]
        if hits:
            best = max(hits, key=lambda c: (c.score, c.fine))
            assert best.rule is not None
            ctx.immediate = (
                _("Apply immediately: {what} not searched ({entry_label} of {ptype} "
                  "{account_no} hit rule {capitalize} P{priority}, which applies "
                  "immediately).").format(
                    what=_(what), entry_label=entry_label(index, best.ids[0]), ptype=ptype,
                    account_no=best.account_no, capitalize=best.rule.confidence.capitalize(),
                    priority=best.rule.priority))
            return skipped
    return ()


# --- proposals ---------------------------------------------------------------------

def _cap(conf: Confidence) -> Confidence:
    return "medium" if conf in ("high", "high_text_mapping") else conf


_IDENTIFIED_BY = {"bank account": N_("the bank account"),
                  "unique name": N_("the name (unique in your records)"),
                  "name+address": N_("the name and address")}


def _identified(ctx: LineCtx) -> dict[PartyKey, str]:
    """Parties the line itself identifies (not parties implied by a document)."""
    return {k: ev.via for k, ev in ctx.parties.items()
            if ev.value == "fully" and ev.via in _IDENTIFIED_BY}


def _conflict(ctx: LineCtx, c: Cand, index: MatchIndex) -> str | None:
    """The bank account or the name identifies one party while the text names only
    documents of other parties (BC has no such check). The sentence names both the
    documents named and the one proposed."""
    identified = _identified(ctx)
    doc_parties = {index.party_of(i) for i in ctx.doc_hits}
    if not identified or doc_parties & identified.keys():
        return None
    if not doc_parties:
        return _foreign_number(ctx, c, index, identified)
    if "bank account" not in identified.values() and any(
            ctx.parties.get(k, NO_PARTY).value != "no" for k in doc_parties):
        return None  # the name also matches the document's party (e.g. same name twice)
    other = sorted(doc_parties)[0]
    named = ", ".join(_("{index} (written '{written}')").format(index=entry_label(index, j),
                         written=ctx.doc_hits[j].written)
                      for j in sorted(ctx.doc_hits) if index.party_of(j) == other)
    return _conflict_sentence(ctx, c, index, identified, _("{named}, an open document of "
                                                            "{value} {value2}").format(
                                                            named=named, value=other[0],
                                                            value2=other[1]))


def _foreign_number(ctx: LineCtx, c: Cand, index: MatchIndex,
                    identified: dict[PartyKey, str]) -> str | None:
    """A number that is the numeric part of several open documents of OTHER parties
    only ("FACT 45872" for F2025-45872 of one and F2026-45872 of another customer)."""
    if not ctx.foreign:
        return None
    number, ids = ctx.foreign[0]
    docs = ", ".join(f"{entry_label(index, j)} of {index.party_of(j)[0]} "
                     f"{index.party_of(j)[1]}" for j in ids[:3])
    return _conflict_sentence(
        ctx,
        c,
        index,
        identified,
        _("'{raw}', the number of open documents of other parties only ({docs})").format(
            raw=number.raw, docs=docs
        ),
        [k.key for j in ids if (k := doc_key(index.entries[j].document_no))],
    )


def _conflict_sentence(ctx: LineCtx, c: Cand, index: MatchIndex,
                       identified: dict[PartyKey, str], what: str,
                       written: list[str] | None = None) -> str:
    mine = sorted(identified)[0]
    via = identified[mine]
    by = _(_IDENTIFIED_BY[via])
    proposed = ", ".join(entry_label(index, i) for i in c.ids[:3]) or _("no document")
    own = _typo_of(ctx, index, mine, written)
    near = _(", one typing error away from {own}").format(own=own) if own else ""
    who = (_("The bank account belongs to {party_type} {party_no}").format(
               party_type=mine[0], party_no=mine[1]) if via == "bank account"
           else _("{by} identifies {party_type} {party_no}").format(
               by=by[0].upper() + by[1:], party_type=mine[0], party_no=mine[1]))
    return (_("{who} but the text names {what}{near}. Proposed: {proposed} of "
               "{account_type} {account_no}; check who paid what (a payment for another "
               "company, a typo or fraud).").format(who=who, what=what, near=near,
               proposed=proposed, account_type=c.account_type, account_no=c.account_no))


def _typo_of(ctx: LineCtx, index: MatchIndex, key: tuple[str, str],
             written: list[str] | None = None) -> str:
    """A document of ``key`` one typing error away from a number the text names."""
    if written is None:
        written = [k.key for j in ctx.doc_hits if index.party_of(j) != key
                   and (k := doc_key(ctx.doc_hits[j].doc or ctx.doc_hits[j].written))]
    for i in index.party_entries(key)[:200]:
        e = index.entries[i]
        k = doc_key(e.document_no)
        if k is not None and any(one_typo_apart(w, k.key) for w in written):
            return entry_label(index, i)
    return ""


def _other_document_named(ctx: LineCtx, c: Cand, index: MatchIndex) -> str | None:
    """The text names a document of the chosen party, but the amount matched other
    entries (BC would still say High, e.g. Fully / No / One Match): which was paid?"""
    if c.kind not in ("entry", "lump") or any(i in ctx.doc_hits for i in c.ids):
        return None
    named = [j for j in ctx.doc_hits if index.party_of(j) == (c.account_type, c.account_no)]
    if not named:
        return None
    labels = ", ".join(entry_label(index, j) for j in named[:3])
    return (_("the text names {labels} of the same party, but the amount matches {value}: "
              "check which was paid.").format(
                labels=labels, value=', '.join(entry_label(index, i) for i in c.ids[:3])))


def _typo_relief(ctx: LineCtx, c: Cand, index: MatchIndex) -> str | None:
    """Beyond BC: a conflicting document is read as a typo of the chosen one when the
    line identifies the chosen party (bank account or name), the chosen entry's amount
    fits, no named document of another party fits the amount, and every such number is
    one typing error (insert, delete, replace or swap of one character) away from the
    chosen document's number. Otherwise the conflict stands."""
    via = _identified(ctx).get((c.account_type, c.account_no))
    if c.kind != "entry" or via is None:
        return None
    chosen = c.ids[0]
    if not entry_fit(ctx, index, chosen)[0]:
        return None
    e = index.entries[chosen]
    own = [k for k in (doc_key(e.document_no), doc_key(e.external_document_no)) if k]
    others = [j for j in ctx.doc_hits if index.party_of(j) != (c.account_type, c.account_no)]
    for j in others:
        written = doc_key(ctx.doc_hits[j].written)
        if (entry_fit(ctx, index, j)[0] or written is None
                or not any(one_typo_apart(written.key, k.key) for k in own)):
            return None
    names = ", ".join(f"'{ctx.doc_hits[j].written}' ({entry_label(index, j)} of "
                      f"{index.party_of(j)[0]} {index.party_of(j)[1]})" for j in others)
    return (_("Beyond BC: the text names {names}, whose amount does not fit; it is one typing "
              "error away from {entry_label}, whose amount fits and whose party "
              "{IDENTIFIED_BY} identifies, so it is read as a typo, not as a conflict.").format(
                names=names, entry_label=entry_label(index, chosen),
                IDENTIFIED_BY=_(_IDENTIFIED_BY[via])))


def _applications(alloc: Allocation, ctx: LineCtx, index: MatchIndex) -> tuple[Application,
                                                                               ...]:
    sign = 1 if ctx.amount > 0 else -1
    out: list[Application] = []
    for i, applied, disc in alloc.parts:
        if alloc.cand.kind == "bank":
            b = index.bank[i]
            out.append(Application(b.entry_no, "bank", b.document_no,
                                   _decimal(sign * applied, index)))
            continue
        e = index.entries[i]
        out.append(Application(e.entry_no, e.document_type, e.document_no,
                               _decimal(sign * applied, index), _decimal(sign * disc, index)))
    return tuple(out)


def _decimal(units: int, index: MatchIndex) -> Decimal:
    """``from_minor`` kept in ``index.memo`` (Decimals are immutable; the same amounts
    come back in many lines' applications and alternatives)."""
    memo = ("decimal", units)
    found: Decimal | None = index.memo.get(memo)
    if found is None:
        found = index.memo[memo] = from_minor(units, index.currency)
    return found


def _others(chosen: Cand | None, cands: list[Cand], limit: int) -> list[Cand]:
    """The best ``limit`` candidates other than ``chosen`` (score, then evidence)."""
    key = chosen.key if chosen is not None else None
    return heapq.nsmallest(limit, (c for c in cands if c.key != key),
                           key=lambda c: (-c.score, -c.fine))


def _alternatives(others: list[Cand], ctx: LineCtx,
                  index: MatchIndex) -> tuple[Alternative, ...]:
    fresh = Ledger(index)
    out: list[Alternative] = []
    for c in others:
        alloc = allocate(c, ctx, fresh)
        apps = _applications(alloc, ctx, index) if alloc else ()
        out.append(Alternative(summary(c, index), c.score, apps))
    return tuple(out)


def _signal_details(ctx: LineCtx, c: Cand, index: MatchIndex) -> list[str]:
    if c.kind == "mapping" or (c.kind == "bank" and c.mapping is not None):
        text = c.mapping.mapping_text if c.mapping else ""
        where = (_("an open bank ledger entry with the same amount and date, so it is "
                 "matched to that entry instead of posting again")
                 if c.kind == "bank" else f"{c.account_type} {c.account_no}")
        return [_("The transaction text contains the mapping text '{text}', mapped to "
                  "{where}.").format(
                    text=text, where=where),
                rule_sentence(c)]
    lines = [s for s in (party_sentence(ctx, c, index),) if s]
    lines += doc_sentences(ctx, c, index)
    lines.append(amount_sentence(ctx, c, index))
    if c.kind == "lump" and c.case != "complete":
        lines.append(_("No documents were listed; {value} add up to the amount, applied "
                        "in due-date order.").format(value=c.notes[0] if c.notes else 'entries'))
    if c.beyond:
        lines.append(c.beyond)
    lines.append(rule_sentence(c))
    return lines


def _review_reasons(ctx: LineCtx, alloc: Allocation, result: WalkResult,
                    index: MatchIndex, settings: MatchSettings,
                    notes: list[str]) -> list[str]:
    """Why the line must be reviewed; sentences that clear a doubt go to ``notes``."""
    c = alloc.cand
    reasons: list[str] = [c.review] if c.review else []
    ties = result.ties.get(ctx.pos, [])
    if ties:
        hidden = sum(n for score, n in ctx.hidden.values() if score == c.score)
        names = "; ".join(summary(t, index) for t in ties[:3])
        reasons.append(_("Sent to review: {value} other candidate(s) are equally good (score "
                         "{score}): {names}.").format(
                           value=len(ties) + hidden, score=c.score, names=names))
    for taken, users in result.taken.get(ctx.pos, [])[:2]:
        by = ", ".join(str(u) for u in users) or _("a kept line")
        reasons.append(_("Sent to review: the better candidate {summary} (score {score}) is "
                         "already applied by statement line {by}.").format(
                           summary=summary(taken, index), score=taken.score, by=by))
    if alloc.short:
        reasons.append(_("Sent to review: an entry was already partly applied by another "
                       "statement line; only what is left is proposed."))
    other_doc = _other_document_named(ctx, c, index)
    if other_doc:
        reasons.append(_("Sent to review: ") + other_doc)
    conflict = _conflict(ctx, c, index)
    relief = _typo_relief(ctx, c, index) if conflict and settings.typo_conflict_relief \
        else None
    if relief:
        notes.append(relief)
    elif conflict:
        reasons.append(_("Sent to review: ") + conflict)
    return reasons


def build_proposal(ctx: LineCtx, cands: list[Cand], result: WalkResult, index: MatchIndex,
                   settings: MatchSettings) -> Proposal:
    alloc = result.chosen.get(ctx.pos)
    if alloc is None:
        return _unmatched(ctx, cands, result, index, settings)
    c = alloc.cand
    conf: Confidence = "high_text_mapping" if c.rule is None else c.rule.confidence
    review = c.rule.review_required if c.rule else False
    notes: list[str] = []
    reasons = _review_reasons(ctx, alloc, result, index, settings, notes)
    if reasons:
        conf, review = _cap(conf), True
    apps = _applications(alloc, ctx, index)
    details = _signal_details(ctx, c, index) + notes + reasons
    if ctx.immediate:
        details.append(ctx.immediate)
    others = _others(c, cands, max(settings.max_alternatives, 1))
    alts = _alternatives(others[:settings.max_alternatives], ctx, index)
    if others:
        runner = others[0]
        label = alts[0].summary if alts else summary(runner, index)
        details.append(_("Runner-up: {label} with score {score} ({why_lost}).").format(
                           label=label, score=runner.score, why_lost=why_lost(c, runner)))
    if c.rule is not None and any(o.kind == "mapping" for o in cands):
        details.append(_("A text-to-account mapping also applies; it was overridden by a "
                       "rule match with a higher score."))
    difference = Decimal(0) if c.kind == "mapping" else _difference(ctx.line.amount, apps)
    unapplied = Decimal(0)
    if c.case == "over" and difference and (difference > 0) == (ctx.line.amount > 0):
        unapplied, difference = difference, Decimal(0)
    return Proposal(
        line_no=ctx.line.line_no, confidence=conf, score=c.score, review_required=review,
        account_type=c.account_type, account_no=c.account_no,
        related_party_name=index.party_name((c.account_type, c.account_no)),
        applications=apps, difference=difference, details=tuple(details),
        alternatives=alts, unapplied=unapplied)


def _difference(amount: Decimal, apps: tuple[Application, ...]) -> Decimal:
    return amount - sum((a.cash for a in apps), Decimal(0))


def _unmatched(ctx: LineCtx, cands: list[Cand], result: WalkResult, index: MatchIndex,
               settings: MatchSettings) -> Proposal:
    taken = result.taken.get(ctx.pos, [])
    alts = _alternatives(_others(None, cands, settings.max_alternatives), ctx, index)
    if not taken:
        return Proposal(ctx.line.line_no, "none", 0, False, difference=ctx.line.amount,
                        details=(_("No open entry, related party or text mapping matched "
                                 "this line."),), alternatives=alts)
    best, users = taken[0]
    by = ", ".join(str(u) for u in users) or _("a kept line")
    return Proposal(
        ctx.line.line_no, "low", best.score, True, account_type=best.account_type,
        account_no=best.account_no,
        related_party_name=index.party_name((best.account_type, best.account_no)),
        difference=ctx.line.amount,
        details=(_("{summary} matched this line (score {score}) but is already applied in full "
                   "by statement line {by}: possibly a duplicate payment or an overpayment to "
                   "refund or keep on account.").format(
                     summary=summary(best, index), score=best.score, by=by),
                 *((ctx.immediate,) if ctx.immediate else ())),
        alternatives=alts)
