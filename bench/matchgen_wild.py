"""A nastier world for the matching benchmark: documents numbered like real ERPs
("F2026-71640", vendors' "INV-2026-0042", "2026/1234", "RE-104711"), and payers and
banks that write them every which way, pay short, pay too much, pay several invoices
naming only some of them, name another customer's open invoice by a slip of the finger,
and carry structured creditor references (RF, Belgian OGM, Swiss QR).

Same contract as ``bench.matchgen``: a deterministic ``World`` whose ``expected``
holds the right answer of every line. ``Expected.review`` marks lines whose right
answer must be proposed WITH review (a text naming another party's open document).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from bench.matchgen import (
    MAPPINGS,
    LineMaker,
    World,
    _full,
    make_parties,
    name_variant,
    sc_duplicate,
    sc_fee,
    sc_name_only,
    sc_no_ref,
    sc_nothing,
    sc_other_ref,
    typo,
)
from core.matching import OpenEntryRef, PartyRef

CENT = Decimal("0.01")
START = date(2025, 11, 1)
WILD_DAY = date(2026, 4, 15)


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.15:
        return Decimal(rng.choice((50, 99, 100, 120, 150, 199, 250, 500, 1000, 1200)))
    return (Decimal(str(round(rng.lognormvariate(6.4, 1.2), 2))) + 15).quantize(CENT)


def _vendor_doc(rng: random.Random) -> str:
    n = rng.randint(1, 99999)
    return rng.choice((f"INV-2026-{n % 10000:04d}", f"2026/{n:05d}", f"RE-{100000 + n}",
                       f"{rng.randint(2025, 2026)}{n:06d}", f"F-{n:05d}"))


def rf_reference(payload: str) -> str:
    """ISO 11649 creditor reference with valid check digits, printed in groups of 4."""
    digits = "".join(str(int(c, 36)) for c in payload + "RF00")
    check = 98 - int(digits) % 97
    ref = f"RF{check:02d}{payload}"
    return " ".join(ref[i:i + 4] for i in range(0, len(ref), 4))


def ogm_reference(number: int) -> str:
    payload = f"{number % 10**10:010d}"
    check = int(payload) % 97 or 97
    d = f"{payload}{check:02d}"
    return f"+++{d[:3]}/{d[3:7]}/{d[7:]}+++"


def qr_reference(number: int) -> str:
    payload = f"{number:026d}"
    table = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)
    carry = 0
    for ch in payload:
        carry = table[(carry + int(ch)) % 10]
    d = payload + str((10 - carry) % 10)
    return d[:2] + " " + " ".join(d[i:i + 5] for i in range(2, 27, 5))


def make_entries(rng: random.Random, parties: list[PartyRef], total: int) -> list[OpenEntryRef]:
    out: list[OpenEntryRef] = []
    weights = [min(rng.paretovariate(1.6), 25.0) for _ in parties]  # no giant
    owners = rng.choices(parties, weights=weights, k=total)
    # invoice numbers: one 5-digit series per year, unique; "71640" may exist in 2025 and
    # in 2026 (of different customers)
    numbers = rng.sample(range(10000, 100000), min(total, 90000))
    more = rng.sample(range(10000, 100000), min(max(total - 90000, 0), 90000))
    years = [2026 if rng.random() < 0.7 else 2025 for _ in numbers] + [2024] * len(more)
    numbers += more
    for k, party in enumerate(owners):
        posting = START + timedelta(days=rng.randint(0, 150))
        amount = _amount(rng)
        disc = (amount * Decimal("0.02")).quantize(CENT) if rng.random() < 0.15 else Decimal(0)
        if party.party_type == "customer":
            doc, ext, sign = f"F{years[k]}-{numbers[k]:05d}", "", 1
        else:
            doc, ext, sign = f"PI{300001 + k:07d}", _vendor_doc(rng), -1
        payref = ""
        if party.party_type == "customer" and rng.random() < 0.15:
            payref = rf_reference(doc.replace("-", "")).replace(" ", "")
        out.append(OpenEntryRef(
            entry_no=k + 1, party_type=party.party_type, party_no=party.no,
            document_type="Invoice", document_no=doc, external_document_no=ext,
            payment_reference=payref, remaining=sign * amount, posting_date=posting,
            due_date=posting + timedelta(days=30), remaining_pmt_disc_possible=sign * disc,
            pmt_discount_date=posting + timedelta(days=10) if disc else None))
    return out


# --- how payers write an invoice number -------------------------------------------------

def wild_ref(rng: random.Random, doc: str) -> str:
    """F2026-71640 as payers write it (vendor numbers through ``vendor_ref``)."""
    if not doc.startswith("F") or "-" not in doc:
        return vendor_ref(rng, doc)
    year, num = doc[1:].split("-")
    tail = num.lstrip("0")
    forms = (doc, doc.lower(), f"F{year}{num}", f"F{year} {num}", f"F{year}/{num}",
             f"FACT {tail}", f"Facture n° {tail}", f"FRA {tail}", f"/ROC/F{year}/{num}/",
             f"No. {tail}", f"Nr {tail}", f"N° {tail}", f"#{tail}", f"Rechnung {doc}",
             f"fact. F{year}-{num}", f"INV F{year}{num}", f"F {year}-{num}",
             f"{year}-{num}", f"{year}/{num}", f"facture {tail}")
    return rng.choice(forms)


def vendor_ref(rng: random.Random, doc: str) -> str:
    digits = "".join(c if c.isdigit() else " " for c in doc).split()
    joined = "".join(digits)
    forms = (doc, doc.replace("-", ""), doc.replace("-", " "), doc.replace("/", "-"),
             f"Invoice {doc}", f"Inv {joined}")
    return rng.choice(forms)


def _noise(rng: random.Random) -> str:
    k = rng.random()
    if k < 0.12:
        return f"PO {rng.randint(10000, 99999)}"
    if k < 0.2:
        return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026"
    if k < 0.26:
        return f"Kd-Nr {rng.randint(1000, 9999)}"
    return ""


class WildMaker(LineMaker):
    day = WILD_DAY

    def __init__(self, rng: random.Random, world: World) -> None:
        super().__init__(rng, world)
        self.docs = {e.document_no: e for e in world.entries if e.party_type == "customer"}

    def new_entry(self, party_no: str, doc: str, amount: Decimal,
                  like: OpenEntryRef) -> OpenEntryRef:
        e = OpenEntryRef(entry_no=len(self.world.entries) + 1, party_type="customer",
                         party_no=party_no, document_type="Invoice", document_no=doc,
                         remaining=amount, posting_date=like.posting_date,
                         due_date=like.due_date)
        self.world.entries.append(e)
        self.docs[doc] = e
        self.used.add(e.entry_no)
        return e

    def text_with(self, ref: str) -> str:
        lead = self.rng.choice(("", "", "Payment", "Paiement", "Zahlung", "SEPA CT",
                                "Virement", "Ref", "Rglt", "Payment of"))
        parts = [lead, ref, _noise(self.rng)]
        if self.rng.random() < 0.3:
            parts.reverse()
        return " ".join(p for p in parts if p)

    def ref(self, e: OpenEntryRef) -> str:
        if e.party_type == "vendor":
            return vendor_ref(self.rng, e.external_document_no)
        return wild_ref(self.rng, e.document_no)

    def certain_party(self, e: OpenEntryRef) -> dict[str, object]:
        """IBAN most of the time, else the name as the bank sends it."""
        return self.party_fields(e, iban_p=0.85, name_p=0.9)


def w_clean(m: WildMaker) -> None:
    e = m.fresh(m.customers)
    m.add("w_clean", e.remaining, m.text_with(e.document_no), _full(e), **m.party_fields(e))


def w_ref_form(m: WildMaker) -> None:
    e = m.fresh(m.customers)
    m.add("w_ref_form", e.remaining, m.text_with(m.ref(e)), _full(e), **m.party_fields(e))


def w_ref_form_amount(m: WildMaker) -> None:
    """A wild reference and an amount within cents of nothing else: the reference and
    the party must carry it (the amount is short by bank charges)."""
    e = m.fresh(m.over_100)
    amount = e.remaining - Decimal(m.rng.choice((250, 500, 750, 1000, 1250, 1500))) / 100
    m.add("w_ref_charges", amount, m.text_with(m.ref(e)), ((e.entry_no, amount, Decimal(0)),),
          **m.certain_party(e))


def w_structured(m: WildMaker) -> None:
    e = m.fresh(m.customers)
    digits = int("".join(c for c in e.document_no if c.isdigit()))
    tail = int(e.document_no.split("-")[1])
    kind = m.rng.random()
    fields = dict(m.party_fields(e, iban_p=0.6, name_p=0.7))
    if e.payment_reference and kind < 0.4:
        fields["payment_reference"] = e.payment_reference
        text = "SEPA CT"
    elif kind < 0.6:
        ref = rf_reference(e.document_no.replace("-", ""))
        fields["payment_reference"], text = ref.replace(" ", ""), "SEPA"
    elif kind < 0.8:
        text = ogm_reference(m.rng.choice((digits, tail)))
    else:
        text = "QRR " + qr_reference(m.rng.choice((digits, tail)))
    m.add("w_structured", e.remaining, text, _full(e), **fields)  # type: ignore[arg-type]


def w_partial(m: WildMaker) -> None:
    e = m.fresh(m.over_100)
    amount = (e.remaining * Decimal(m.rng.randint(15, 85)) / 100).quantize(CENT)
    m.add("w_partial", amount, m.text_with(m.ref(e)), ((e.entry_no, amount, Decimal(0)),),
          **m.certain_party(e))


def w_overpay(m: WildMaker) -> None:
    e = m.fresh(m.customers)
    over = Decimal(m.rng.choice((1, 5, 10, 12.5, 20, 50, 100))) + Decimal(
        m.rng.randint(0, 99)) / 100
    m.add("w_overpay", e.remaining + over, m.text_with(m.ref(e)), _full(e),
          **m.certain_party(e))


def _group(m: WildMaker, size: tuple[int, int]) -> list[OpenEntryRef]:
    for _ in range(1000):
        e = m.rng.choice(m.customers)
        free = [x for x in m.by_party[e.party_no] if x.entry_no not in m.used]
        if len(free) >= size[0] + 1 and m.parties[e.party_no].ibans:
            picked = m.rng.sample(free, m.rng.randint(size[0], min(size[1], len(free) - 1)))
            m.used.update(x.entry_no for x in picked)
            return picked
    raise RuntimeError("no party with enough open entries")


def w_lump_some(m: WildMaker) -> None:
    """Pays 3-4 invoices, names only 1-2 of them."""
    es = _group(m, (3, 4))
    named = m.rng.sample(es, m.rng.randint(1, len(es) - 2))
    text = "Payment " + " ".join(m.ref(x) for x in named) + " and others"
    m.add("w_lump_some", sum((x.remaining for x in es), Decimal(0)), text,
          tuple(a for x in es for a in _full(x)), **m.party_fields(es[0], iban_p=0.95))


def w_lump_all(m: WildMaker) -> None:
    es = _group(m, (2, 4))
    sep = m.rng.choice((", ", " ", " + ", "/"))
    m.add("w_lump_all", sum((x.remaining for x in es), Decimal(0)),
          "Rglt " + sep.join(m.ref(x) for x in es), tuple(a for x in es for a in _full(x)),
          **m.party_fields(es[0]))


def w_same_amount(m: WildMaker) -> None:
    """Two open invoices of one customer with the same amount; the reference picks one."""
    e = m.fresh(m.customers)
    year, num = e.document_no[1:].split("-")
    step = int(num)
    twin_no = e.document_no
    while twin_no in m.docs:
        step = (step + 7919 - 10000) % 90000 + 10000
        twin_no = f"F{year}-{step:05d}"
    twin = m.new_entry(e.party_no, twin_no, e.remaining, e)
    target = m.rng.choice((e, twin))
    m.add("w_same_amount", e.remaining, m.text_with(m.ref(target)), _full(target),
          **m.party_fields(e, iban_p=0.8))


def w_conflict(m: WildMaker) -> None:
    """The payer's own invoice, written with two digits swapped, is the number of an
    open invoice of ANOTHER customer; bank account and amount point to the payer's."""
    a = m.fresh(m.with_iban)
    year, num = a.document_no[1:].split("-")
    k = m.rng.randrange(len(num) - 1)
    swapped = num[:k] + num[k + 1] + num[k] + num[k + 2:]
    if swapped == num or swapped.startswith("0"):
        swapped = num[:-1] + str((int(num[-1]) + 1) % 10)
    doc = f"F{year}-{swapped}"
    other = m.docs.get(doc)
    if other is not None and other.party_no == a.party_no:
        m.used.discard(a.entry_no)
        return  # the slip names another invoice of the payer itself: not this scenario
    if other is None:
        b_party = m.rng.choice([p for p in m.world.parties
                                if p.party_type == "customer" and p.no != a.party_no])
        other = m.new_entry(b_party.no, doc, _amount(m.rng), a)
    payer = m.parties[a.party_no]
    m.add("w_conflict", a.remaining, m.text_with(m.ref(other)), _full(a), review=True,
          related_party_iban=payer.ibans[0],
          related_party_name=name_variant(m.rng, payer.name))


def w_typo_free(m: WildMaker) -> None:
    """A typo that names no open document: bank account and amount decide."""
    e = m.fresh(m.with_iban)
    m.add("w_typo", e.remaining, m.text_with(typo(m.rng, e.document_no) + "X"), _full(e),
          **m.party_fields(e, iban_p=1.0))


def w_discount(m: WildMaker) -> None:
    e = m.fresh(m.with_disc)
    disc = e.remaining_pmt_disc_possible
    when = max(e.posting_date, (e.pmt_discount_date or WILD_DAY)
               - timedelta(days=m.rng.randint(0, 5)))
    m.add("w_discount", e.remaining - disc, m.text_with(m.ref(e)),
          ((e.entry_no, e.remaining - disc, disc),), when=when, **m.party_fields(e))


def w_vendor(m: WildMaker) -> None:
    e = m.fresh(m.vendors)
    m.add("w_vendor", e.remaining, m.text_with(m.ref(e)), _full(e), **m.party_fields(e))


WILD_SCENARIOS = (
    (w_clean, 14), (w_ref_form, 22), (w_ref_form_amount, 5), (w_structured, 6),
    (w_partial, 5), (w_overpay, 4), (w_lump_some, 4), (w_lump_all, 3), (w_same_amount, 4),
    (w_conflict, 3), (w_typo_free, 2), (w_discount, 4), (w_vendor, 7), (sc_no_ref, 5),
    (sc_name_only, 4), (sc_duplicate, 2), (sc_other_ref, 2), (sc_nothing, 3), (sc_fee, 3),
)


def generate_wild(seed: int = 1, customers: int = 2_000, vendors: int = 300,
                  entries: int = 20_000, lines: int = 2_000) -> World:
    """A deterministic wild world (defaults: the held-out set's shape, 2,000 lines
    against 20,000 open entries of 2,300 parties)."""
    rng = random.Random(seed * 7919 + 17)
    world = World(mappings=MAPPINGS)
    world.parties = make_parties(rng, customers, vendors)
    world.entries = make_entries(rng, world.parties, entries)
    maker = WildMaker(rng, world)
    funcs = [f for f, _ in WILD_SCENARIOS]
    weights = [w for _, w in WILD_SCENARIOS]
    while len(world.lines) < lines:
        rng.choices(funcs, weights=weights)[0](maker)  # type: ignore[operator]
    return world
