"""Seeded generator of parties, open entries and bank lines WITH KNOWN RIGHT ANSWERS.

Noise modelled after what payers and banks really produce: reference forms (prefixes,
missing zeros, separators, glued words), typos, missing references, names that differ
from master data (legal forms, abbreviations, case, accents, typos, truncation),
discounts taken, bank charges deducted, partial / over / duplicate payments, lump
payments with and without listed documents, two invoices with the same amount,
references to another customer's invoice, lines that match nothing, vendor payments
(negative) and bank-fee lines handled by a text mapping.

``Expected.apps`` is the right answer: ((entry_no, cash, discount), ...) in statement
sign, or () when no application is right (the line belongs in review); ``account``
is set for mapped lines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.matching import BankLine, OpenEntryRef, PartyRef, TextMapping

CENT = Decimal("0.01")
START = date(2024, 1, 1)
STATEMENT_DAY = date(2024, 4, 15)

_WORDS = ("Adatum", "Alpine", "Atlas", "Baltic", "Birch", "Blue", "Cedar", "Contoso", "Coral",
    "Delta", "Eagle", "Falcon", "Fabrikam", "Fjord", "Granite", "Harbor", "Iris", "Jade",
    "Kestrel", "Lakeside", "Litware", "Maple", "Meridian", "Nordic", "Northwind", "Oak",
    "Orion", "Pacific", "Pine", "Polar", "Proseware", "Quartz", "Raven", "Ridge", "River",
    "Saffron", "Silver", "Solar", "Spruce", "Summit", "Tailspin", "Trey", "Tundra", "Unity",
    "Vertex", "Willow", "Wingtip", "Zenith", "Müller", "Schäfer", "Göteborg", "Société",
    "Crédit", "Café", "Łódź", "Ørsted", "Brandt", "Weber", "Becker", "Hoffmann", "Dubois",
    "Moreau", "Lefèvre", "Rossi", "Bianchi", "Kowalski", "Nowak", "Jansen", "Bakker", "Larsen",
    "Nielsen", "García", "López", "Fernández", "Novák", "Horváth", "de Vries", "van Dijk",
    "O'Brien", "Saint-Exupéry", "D'Angelo", "Le Roux")
_SECOND = ("Trading", "Logistics", "Systems", "Consulting", "Foods", "Motors", "Pharma",
    "Textiles", "Energy", "Media", "Holding", "Services", "Industries", "Technologies",
    "Engineering", "Retail", "Bau", "Werke", "Partners", "Group", "International",
    "Manufacturing", "Distribution", "Brothers", "Solutions")
_FORMS = ("GmbH", "AG", "Ltd", "Ltd.", "S.A.", "SARL", "B.V.", "Sp. z o.o.", "Inc.", "LLC",
          "GmbH & Co. KG", "S.p.A.", "Oy", "AB", "A/S", "")
_ABBREV = {"International": "Intl", "Manufacturing": "Mfg", "Services": "Svcs",
           "Brothers": "Bros", "Technologies": "Tech", "Group": "Grp"}
_FILLER = ("Payment", "Zahlung", "Paiement", "Transfer", "Ueberweisung", "SEPA CT", "Pmt",
           "Thank you", "Ref", "", "", "")


@dataclass(frozen=True, slots=True)
class Expected:
    line_no: int
    scenario: str
    apps: tuple[tuple[int, Decimal, Decimal], ...] = ()
    account: tuple[str, str] | None = None
    review: bool = False  # the right answer must be proposed for review, not applied


@dataclass(slots=True)
class World:
    parties: list[PartyRef] = field(default_factory=list)
    entries: list[OpenEntryRef] = field(default_factory=list)
    lines: list[BankLine] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    mappings: tuple[TextMapping, ...] = ()


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.12:
        return Decimal(rng.choice((50, 100, 150, 200, 250, 500, 750, 1000, 1500, 2000)))
    return (Decimal(str(round(rng.lognormvariate(6.3, 1.1), 2)))
            + Decimal("20")).quantize(CENT)


def _iban(rng: random.Random) -> str:
    country = rng.choice(("DE", "FR", "NL", "BE", "AT", "IT", "ES", "PL"))
    return country + f"{rng.randint(10, 99)}" + "".join(rng.choice("0123456789")
                                                       for _ in range(18))


def _name(rng: random.Random) -> str:
    parts = [rng.choice(_WORDS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(_SECOND))
    if rng.random() < 0.15:
        parts.insert(1, rng.choice(_WORDS))
    form = rng.choice(_FORMS)
    return " ".join(parts + ([form] if form else []))


def make_parties(rng: random.Random, customers: int, vendors: int) -> list[PartyRef]:
    out: list[PartyRef] = []
    for ptype, count, prefix in (("customer", customers, "C"), ("vendor", vendors, "V")):
        for k in range(count):
            ibans = () if rng.random() < 0.12 else tuple(
                _iban(rng) for _ in range(1 if rng.random() < 0.85 else 2))
            out.append(PartyRef(ptype, f"{prefix}{k + 1:05d}", _name(rng),  # type: ignore[arg-type]
                                f"{rng.randint(1, 200)} {rng.choice(_WORDS)} Street",
                                rng.choice(_WORDS) + "ville", ibans))
    return out


def make_entries(rng: random.Random, parties: list[PartyRef], total: int) -> list[OpenEntryRef]:
    out: list[OpenEntryRef] = []
    weights = [rng.paretovariate(1.6) for _ in parties]
    owners = rng.choices(parties, weights=weights, k=total)
    for k, party in enumerate(owners):
        posting = START + timedelta(days=rng.randint(0, 100))
        amount = _amount(rng)
        if out and rng.random() < 0.03 and out[-1].party_no == party.no:
            amount = abs(out[-1].remaining)  # same customer, same amount
        disc = (amount * Decimal("0.02")).quantize(CENT) if rng.random() < 0.2 else Decimal(0)
        if party.party_type == "customer":
            doc, ext, sign = f"{100001 + k}", "", 1
        else:
            doc, sign = f"PI{200001 + k:07d}", -1
            ext = rng.choice((f"F{rng.randint(2023, 2024)}-{rng.randint(1, 9999):04d}",
                              f"INV{rng.randint(10000, 99999)}", f"{rng.randint(100000, 999999)}"))
        out.append(OpenEntryRef(
            entry_no=k + 1, party_type=party.party_type, party_no=party.no,
            document_type="Invoice", document_no=doc, external_document_no=ext,
            payment_reference=f"RF{rng.randint(10, 99)}{k + 1:09d}" if rng.random() < 0.1 else "",
            remaining=sign * amount, posting_date=posting,
            due_date=posting + timedelta(days=30),
            remaining_pmt_disc_possible=sign * disc,
            pmt_discount_date=posting + timedelta(days=14) if disc else None))
    return out


# --- noise ---------------------------------------------------------------------------

def ref_form(rng: random.Random, doc: str) -> str:
    """How a payer writes a document number."""
    digits = "".join(c for c in doc if c.isdigit()).lstrip("0")
    forms = (doc, digits, f"INV-{digits}", f"Inv.{digits}", f"RE 0{digits}", f"inv{digits}",
             f"Invoice no. {digits}", f"Rechnung {digits}", f"FA/{digits}", f"#{digits}",
             f"Nr.{digits}")
    return rng.choice(forms)


def typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind < 0.7:
        return text[:i] + text[i + 1:]
    return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") + text[i + 1:]


def name_variant(rng: random.Random, name: str) -> str:
    """A name as the payer's bank transmits it."""
    k = rng.random()
    if k < 0.25:
        return name.upper()
    if k < 0.4:
        for form in sorted(_FORMS, key=len, reverse=True):
            if form and name.endswith(form):
                return name[: -len(form)].strip()
        return name
    if k < 0.55:
        import unicodedata
        return "".join(c for c in unicodedata.normalize("NFKD", name)
                       if not unicodedata.combining(c)).upper()
    if k < 0.7:
        for full, short in _ABBREV.items():
            name = name.replace(full, short)
        return name
    if k < 0.8:
        return typo(rng, name)
    if k < 0.9:
        return name[:24]
    return name.replace(".", "").replace("&", "and")


def _filler(rng: random.Random) -> str:
    return rng.choice(_FILLER)


class LineMaker:
    """Builds statement lines scenario by scenario."""

    def __init__(self, rng: random.Random, world: World) -> None:
        self.rng = rng
        self.world = world
        self.by_party: dict[str, list[OpenEntryRef]] = {}
        for e in world.entries:
            self.by_party.setdefault(e.party_no, []).append(e)
        self.parties = {p.no: p for p in world.parties}
        self.used: set[int] = set()
        self.customers = [e for e in world.entries if e.party_type == "customer"]
        self.vendors = [e for e in world.entries if e.party_type == "vendor"]
        # Constant sub-pools, filtered once (same lists, same random draws as before).
        self.over_100 = [x for x in self.customers if x.remaining > 100]
        self.with_disc = [x for x in self.customers if x.remaining_pmt_disc_possible] \
            or self.customers
        self.with_iban = [x for x in self.customers if self.parties[x.party_no].ibans]

    def fresh(self, pool: list[OpenEntryRef]) -> OpenEntryRef:
        while True:
            e = self.rng.choice(pool)
            if e.entry_no not in self.used:
                self.used.add(e.entry_no)
                return e

    def party_fields(self, e: OpenEntryRef, iban_p: float = 0.75,
                     name_p: float = 0.8) -> dict[str, Any]:
        party = self.parties[e.party_no]
        out: dict[str, Any] = {}
        if party.ibans and self.rng.random() < iban_p:
            iban = party.ibans[0]
            out["related_party_iban"] = (" ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
                                         if self.rng.random() < 0.3 else iban)
        if self.rng.random() < name_p:
            out["related_party_name"] = (party.name if self.rng.random() < 0.5
                                         else name_variant(self.rng, party.name))
        return out

    day = STATEMENT_DAY

    def add(self, scenario: str, amount: Decimal, text: str,
            apps: tuple[tuple[int, Decimal, Decimal], ...], when: date | None = None,
            account: tuple[str, str] | None = None, review: bool = False,
            **fields: object) -> int:
        no = (len(self.world.lines) + 1) * 10
        self.world.lines.append(BankLine(line_no=no, transaction_date=when or self.day,
                                         amount=amount, text=text[:140],
                                         **fields))  # type: ignore[arg-type]
        self.world.expected.append(Expected(no, scenario, apps, account, review))
        return no

    def doc_of(self, e: OpenEntryRef) -> str:
        return e.external_document_no if e.party_type == "vendor" else e.document_no

    def text_with(self, ref: str) -> str:
        return f"{_filler(self.rng)} {ref} {_filler(self.rng)}".strip()


# --- scenarios -----------------------------------------------------------------------

def _full(e: OpenEntryRef) -> tuple[tuple[int, Decimal, Decimal], ...]:
    return ((e.entry_no, e.remaining, Decimal(0)),)


def sc_clean(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    m.add("clean", e.remaining, m.text_with(m.doc_of(e)), _full(e), **m.party_fields(e))


def sc_ref_variant(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    m.add("ref_variant", e.remaining, m.text_with(ref_form(m.rng, m.doc_of(e))), _full(e),
          **m.party_fields(e))


def sc_ref_typo(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    m.add("ref_typo", e.remaining, m.text_with(typo(m.rng, m.doc_of(e))), _full(e),
          **m.party_fields(e, iban_p=0.9))


def sc_no_ref(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    m.add("no_ref", e.remaining, _filler(m.rng) or "Payment", _full(e), **m.party_fields(e))


def sc_name_only(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    ref = ref_form(m.rng, m.doc_of(e)) if m.rng.random() < 0.5 else ""
    m.add("name_only", e.remaining, m.text_with(ref), _full(e),
          **m.party_fields(e, iban_p=0.0, name_p=1.0))


def sc_discount(m: LineMaker) -> None:
    e = m.fresh(m.with_disc)
    disc = e.remaining_pmt_disc_possible
    when = max(e.posting_date, (e.pmt_discount_date or STATEMENT_DAY)
               - timedelta(days=m.rng.randint(0, 5)))
    m.add("discount", e.remaining - disc, m.text_with(ref_form(m.rng, m.doc_of(e))),
          ((e.entry_no, e.remaining - disc, disc),), when=when, **m.party_fields(e))


def sc_charges(m: LineMaker) -> None:
    e = m.fresh(m.over_100)
    amount = e.remaining - Decimal(m.rng.randint(150, 1500)) / 100
    m.add("charges", amount, m.text_with(m.doc_of(e)), ((e.entry_no, amount, Decimal(0)),),
          **m.party_fields(e))


def sc_partial(m: LineMaker) -> None:
    e = m.fresh(m.over_100)
    amount = (e.remaining * Decimal(m.rng.randint(20, 80)) / 100).quantize(CENT)
    m.add("partial", amount, m.text_with(ref_form(m.rng, m.doc_of(e))),
          ((e.entry_no, amount, Decimal(0)),), **m.party_fields(e))


def _lump_entries(m: LineMaker) -> list[OpenEntryRef]:
    while True:
        e = m.rng.choice(m.customers)
        free = [x for x in m.by_party[e.party_no] if x.entry_no not in m.used]
        if len(free) >= 3:
            picked = m.rng.sample(free, m.rng.randint(2, min(4, len(free) - 1)))
            m.used.update(x.entry_no for x in picked)
            return picked


def sc_lump_listed(m: LineMaker) -> None:
    es = _lump_entries(m)
    refs = (", " if m.rng.random() < 0.5 else " ").join(ref_form(m.rng, x.document_no)
                                                        for x in es)
    m.add("lump_listed", sum((x.remaining for x in es), Decimal(0)), f"Payment {refs}",
          tuple(a for x in es for a in _full(x)), **m.party_fields(es[0]))


def sc_lump_unlisted(m: LineMaker) -> None:
    es = _lump_entries(m)
    m.add("lump_unlisted", sum((x.remaining for x in es), Decimal(0)), "Payment invoices",
          tuple(a for x in es for a in _full(x)), **m.party_fields(es[0], iban_p=0.9))


def sc_overpay(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    m.add("overpay", e.remaining + Decimal(m.rng.randint(100, 5000)) / 100,
          m.text_with(m.doc_of(e)), _full(e), **m.party_fields(e))


def sc_duplicate(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    fields = m.party_fields(e)
    m.add("clean", e.remaining, m.text_with(m.doc_of(e)), _full(e), **fields)
    m.add("duplicate", e.remaining, m.text_with(m.doc_of(e)), (),
          when=m.day + timedelta(days=1), **fields)


def sc_same_amount(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    twin = OpenEntryRef(
        entry_no=len(m.world.entries) + 1, party_type="customer", party_no=e.party_no,
        document_type="Invoice", document_no=f"{900001 + len(m.world.entries)}",
        remaining=e.remaining, posting_date=e.posting_date, due_date=e.due_date)
    m.world.entries.append(twin)
    m.used.add(twin.entry_no)
    target = m.rng.choice((e, twin))
    if m.rng.random() < 0.7:
        m.add("same_amount_ref", e.remaining, m.text_with(ref_form(m.rng, target.document_no)),
              _full(target), **m.party_fields(e))
    else:
        m.add("same_amount_noref", e.remaining, "Payment", (), **m.party_fields(e))


def sc_other_ref(m: LineMaker) -> None:
    """A payer (a) names another customer's invoice (b) with its exact amount: a parent
    or a third party paying, or a mistake. Half the lines carry a's bank account and
    name, the other half only a's name as the bank transmits it (no IBAN)."""
    a = m.fresh(m.with_iban)
    b = m.fresh(m.customers)
    while b.party_no == a.party_no:  # another customer's invoice, never the payer's own
        b = m.fresh(m.customers)
    payer = m.parties[a.party_no]
    if m.rng.random() < 0.5:
        m.add("other_ref", b.remaining, m.text_with(b.document_no), (),
              related_party_iban=payer.ibans[0], related_party_name=payer.name)
    else:
        m.add("other_ref_name", b.remaining, m.text_with(b.document_no), (),
              related_party_name=name_variant(m.rng, payer.name))


def sc_nothing(m: LineMaker) -> None:
    amount = _amount(m.rng) + Decimal("0.07")
    text = m.rng.choice(("Refund order", "Deposit", "Cash in", "Transfer own account",
                         "Donation", "Insurance claim")) + f" {m.rng.randint(10, 999)}"
    m.add("nothing", amount, text, ())


def sc_vendor(m: LineMaker) -> None:
    e = m.fresh(m.vendors)
    ref = (e.external_document_no if m.rng.random() < 0.7
           else ref_form(m.rng, e.external_document_no))
    m.add("vendor", e.remaining, m.text_with(ref),
          _full(e), **m.party_fields(e))


def sc_fee(m: LineMaker) -> None:
    text = m.rng.choice(("BANK FEE March", "Bank fee 03/2024", "KONTOFUEHRUNG 03.2024",
                         "Account maintenance BANK FEE"))
    account = ("gl_account", "6830" if "KONTO" in text.upper() else "6800")
    m.add("fee", -Decimal(m.rng.randint(200, 3000)) / 100, text, (), account=account)


def sc_structured(m: LineMaker) -> None:
    e = m.fresh(m.customers)
    fields: dict[str, object] = dict(m.party_fields(e, iban_p=0.5, name_p=0.5))
    if e.payment_reference:
        fields["payment_reference"] = e.payment_reference
    else:
        fields["referred_documents"] = (e.document_no,)
    m.add("structured", e.remaining, "SEPA CT", _full(e), **fields)  # type: ignore[arg-type]


SCENARIOS = (
    (sc_clean, 28), (sc_ref_variant, 12), (sc_ref_typo, 4), (sc_no_ref, 8),
    (sc_name_only, 8), (sc_discount, 6), (sc_charges, 4), (sc_partial, 3),
    (sc_lump_listed, 4), (sc_lump_unlisted, 3), (sc_overpay, 2), (sc_duplicate, 2),
    (sc_same_amount, 3), (sc_other_ref, 2), (sc_nothing, 3), (sc_vendor, 6), (sc_fee, 3),
    (sc_structured, 5),
)

MAPPINGS = (TextMapping("BANK FEE", "gl_account", debit_acc_no="6800", credit_acc_no="6800"),
            TextMapping("KONTOFUEHRUNG", "gl_account", debit_acc_no="6830",
                        credit_acc_no="6830"))


def generate(seed: int = 1, customers: int = 10_000, vendors: int = 1_000,
             entries: int = 100_000, lines: int = 2_000) -> World:
    """A deterministic world: same seed, same parties, entries, lines and answers."""
    rng = random.Random(seed)
    world = World(mappings=MAPPINGS)
    world.parties = make_parties(rng, customers, vendors)
    world.entries = make_entries(rng, world.parties, entries)
    maker = LineMaker(rng, world)
    funcs = [f for f, _ in SCENARIOS]
    weights = [w for _, w in SCENARIOS]
    while len(world.lines) < lines:
        rng.choices(funcs, weights=weights)[0](maker)
    return world
