"""Evidence sentences a clerk reads: which signals matched, runner-up and why it lost."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from core.i18n import N_, NP_, _, format_amount, get_language
from core.kernel.money import exponent
from core.matching.candidates import Cand, entry_fit_disc
from core.matching.index import MatchIndex
from core.matching.rules import describe_rule
from core.matching.signals import NO_PARTY, LineCtx

_DOC_TYPES = {"invoice": N_("invoice"), "credit_memo": N_("credit memo")}
_ACCOUNT_WORDS = {"customer": NP_("party type", "customer"),
                  "vendor": NP_("party type", "vendor"),
                  "gl_account": NP_("account type", "G/L account"),
                  "bank_account": N_("bank account")}
_FIELD_WORDS = {"document no.": N_("document no."),
                "external document no.": N_("external document no."),
                "payment reference": N_("payment reference")}


def money_text(units: int, index: MatchIndex) -> str:
    """Display form of minor units ("1,234.50" / "1 234,50"), exact integer arithmetic.

    The same text as ``format_amount``, whose Babel call costs about 0.3 ms: evidence
    writes tens of thousands of amounts per run, so the signs of the language are read
    from Babel once and the digits are grouped here; an amount written once is kept in
    ``index.memo`` (the same entries come back in many lines' alternatives)."""
    language = get_language()
    memo = ("money", units, language)
    found: str | None = index.memo.get(memo)
    if found is not None:
        return found
    places = exponent(index.currency)
    group, point, minus = _signs(language, places)
    whole, cents = divmod(abs(units), 10 ** places)
    text = f"{whole:,}".replace(",", group) + (f"{point}{cents:0{places}d}" if places else "")
    found = index.memo[memo] = minus + text if units < 0 else text
    return found


@lru_cache(maxsize=16)
def _signs(language: str, places: int) -> tuple[str, str, str]:
    """(grouping, decimal point, minus sign) as ``format_amount`` writes them."""
    sample = format_amount(Decimal(-1234567) - (Decimal(89) / 100 if places else 0),
                           places, language)
    minus, rest = sample.split("1", 1)
    group = rest[:rest.index("2")]
    point = rest[rest.index("7") + 1:-2] if places else ""
    return group, point, minus


def entry_label(index: MatchIndex, i: int) -> str:
    """"invoice F2026-71640" (kept in ``index.memo``: entries come back in many lines'
    evidence and alternatives)."""
    memo = ("label", i, get_language())
    found: str | None = index.memo.get(memo)
    if found is None:
        e = index.entries[i]
        code = e.document_type.lower()
        kind = _(_DOC_TYPES[code]) if code in _DOC_TYPES else (code or _("entry"))
        found = index.memo[memo] = f"{kind} {e.document_no}"
    return found


def party_label(index: MatchIndex, ptype: str, no: str) -> str:
    name = index.party_name((ptype, no))
    word = _ACCOUNT_WORDS.get(ptype)
    return f"{_(word) if word else ptype} {no}" + (f" {name}" if name else "")


def summary(c: Cand, index: MatchIndex) -> str:
    """One-line description of a candidate for the review queue."""
    if c.kind == "mapping" and c.mapping is not None:
        return _("text mapping '{mapping_text}' -> {account_type} {account_no}").format(
                  mapping_text=c.mapping.mapping_text, account_type=c.account_type,
                  account_no=c.account_no)
    if c.kind == "bank":
        b = index.bank[c.ids[0]]
        return _("open bank entry {entry_no} {document_no} ({remaining})").format(
                  entry_no=b.entry_no, document_no=b.document_no,
                  remaining=format_amount(b.remaining))
    memo = ("summary", c.kind, c.ids, c.account_type, c.account_no, get_language())
    found: str | None = index.memo.get(memo)  # the same entries: many lines' alternatives
    if found is None:
        docs = ", ".join(f"{entry_label(index, i)} ({money_text(index.rem[i], index)})"
                         for i in c.ids)
        what = (_("listed documents") if c.kind == "group" else _("amount-sum of")
                if c.kind == "lump" else "")
        found = index.memo[memo] = (f"{party_label(index, c.account_type, c.account_no)}: "
                                    f"{what + ' ' if what else ''}{docs}")
    return found


def party_sentence(ctx: LineCtx, c: Cand, index: MatchIndex) -> str | None:
    ev = ctx.parties.get((c.account_type, c.account_no), NO_PARTY)
    name = index.party_name((c.account_type, c.account_no))
    if ev.via == "bank account":
        return (_("The related party was matched based on the bank account in the statement "
                  "file ({related_party_iban}).").format(
                    related_party_iban=ctx.line.related_party_iban))
    if ev.value == "no":
        return _("The related party {name} was not recognised in the statement line.").format(
                   name=name)
    source = _("related-party name") if ctx.stated_is_name else _("transaction text")
    text = (_("The {source} '{stated}' matches {name} with {max}% similarity (BC string "
              "nearness {bc}%, normalised {fuzzy}%).").format(
                source=source, stated=ctx.stated, name=name, max=max(ev.bc, ev.fuzzy), bc=ev.bc,
                fuzzy=ev.fuzzy))
    if ev.via == "unique name":
        text += _(" The name of the related party is unique in your records.")
    elif ev.via == "name+address":
        text += _(" Address and city are the same as in your records.")
    else:
        text += _(" Several parties have a similar name, so the party is only partly matched.")
    return text


def doc_sentences(ctx: LineCtx, c: Cand, index: MatchIndex) -> list[str]:
    if c.kind == "bank":  # see candidates.bank_doc_found
        return list(c.notes) if c.mapping is None else []
    out: list[str] = []
    for i in c.ids:
        hit = ctx.doc_hits.get(i)
        if hit is None:
            continue
        label = entry_label(index, i)
        if hit.kind == "payment_reference":
            out.append(_("We matched {label} by using the payment reference {written}.").format(
                           label=label, written=hit.written))
        elif hit.kind == "structured":
            how = f" ({hit.form})" if hit.form else ""
            out.append(_("The structured remittance names {label} as '{written}'{how}.").format(
                          label=label, written=hit.written, how=how))
        elif hit.kind == "exact":
            pos = ctx.search_text.find(hit.written.upper())
            out.append(_("The {field} {written} of {label} was found in the transaction text "
                         "at position {value}.").format(
                           field=_(_FIELD_WORDS[hit.field]) if hit.field in _FIELD_WORDS
                           else hit.field, written=hit.written, label=label, value=pos + 1))
        else:
            out.append(_("Document {doc} ({label}) read as '{written}' ({form}).").format(
                          doc=hit.doc, label=label, written=hit.written, form=hit.form))
    if c.kind in ("entry", "lump") and not out:
        out.append(_("No document number of this entry was found in the text."))
    return out


def amount_sentence(ctx: LineCtx, c: Cand, index: MatchIndex) -> str:
    if c.kind == "bank":
        total = index.bank_rem[c.ids[0]]
        disc = 0
    else:
        total = sum(index.rem[i] for i in c.ids)
        disc = sum(index.disc[i] for i in c.ids
                   if c.use_disc and entry_fit_disc(ctx, index, i))
    amount = money_text(ctx.amount, index)
    net = total - disc
    if disc and ctx.low <= net <= ctx.high:
        return (_("The amount {amount} equals the remaining {money_text} less payment discount "
                  "{money_text2}, paid by the discount date.").format(
                    amount=amount, money_text=money_text(total, index),
                    money_text2=money_text(disc, index)))
    if net == ctx.amount:
        count = ctx.in_range_count.get(c.account_type, 0)
        more = _(" ({count} entries in range overall)").format(count=count) if count > 1 else ""
        return _("The amount {amount} equals the remaining amount{more}.").format(
                   amount=amount, more=more)
    if ctx.low <= net <= ctx.high:
        rng = f"[{money_text(ctx.low, index)}, {money_text(ctx.high, index)}]"
        return (_("The amount {amount} is within the bank's tolerance {rng} of the remaining "
                  "{money_text}.").format(
                    amount=amount, rng=rng, money_text=money_text(net, index)))
    return short_or_over(ctx.amount, net, index)


def short_or_over(paid: int, remaining: int, index: MatchIndex) -> str:
    """What stays open, and why, when the amount is not the remaining amount: in words
    and formatted amounts, not a tolerance interval (issue #15)."""
    gap = abs(remaining) - abs(paid)
    values = {"amount": money_text(abs(paid), index),
              "money_text": money_text(abs(remaining), index),
              "gap": money_text(abs(gap), index)}
    if gap > 0:
        return _("The amount {amount} is {gap} less than the remaining {money_text}: once "
                 "applied, {gap} stays open on the entry (accept it as payment tolerance, or "
                 "transfer the difference to an account).").format(**values)
    return _("The amount {amount} is {gap} more than the remaining {money_text}: {gap} stays "
             "unapplied on the line (transfer it to an account, or apply another entry "
             "too).").format(**values)


def rule_sentence(c: Cand) -> str:
    if c.rule is None:
        return _("Text-to-account mapping gives score {score}.").format(score=c.score)
    return _("Matched by ") + describe_rule(c.rule) + "."


def why_lost(winner: Cand, other: Cand) -> str:
    """Short reason why ``other`` ranks below ``winner``."""
    if other.score == winner.score:
        return _("equally good")
    if winner.attrs is None or other.attrs is None:
        return _("lower score")
    names = (_("related party"), _("document number"), _("amount"), _("direct debit"))
    worse = [f"{n} {o.replace('_', ' ')}" for n, w, o in
             zip(names, winner.attrs, other.attrs, strict=True) if w != o]
    return _("weaker signals: ") + (", ".join(worse) if worse else _("lower priority"))
