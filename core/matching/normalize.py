"""Text normalisation: bank accounts, party names (legal forms, accents), tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^A-Z0-9]")
_WORDS = re.compile(r"[A-Z0-9]+")

# Legal forms as token sequences after punctuation is removed ("S.A." -> "S A").
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        "GMBH & CO KG", "GMBH CO KG", "SP Z O O", "SP ZOO", "S A R L", "S A S", "S P A",
        "S R L", "S A", "B V", "N V", "A G", "GMBH", "MBH", "AG", "KG", "OHG", "UG",
        "LTD", "LIMITED", "PLC", "LLC", "LLP", "INC", "CORP", "CORPORATION", "CO",
        "COMPANY", "SA", "SARL", "SAS", "SASU", "EURL", "SPA", "SRL", "BV", "NV", "AB",
        "AS", "ASA", "OY", "OYJ", "APS", "KFT", "SRO", "AS", "EK", "EV", "SE", "PTY",
        "BVBA", "SCS", "SNC", "LDA", "SL", "SLU",
    )
)
_FORM_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _form in sorted(_LEGAL_FORMS, key=len, reverse=True):
    _FORM_FIRST.setdefault(_form[0], []).append(_form)

_REPLACEMENTS = {"ß": "SS", "Æ": "AE", "æ": "AE", "Ø": "O", "ø": "O", "Ł": "L", "ł": "L",
                 "Œ": "OE", "œ": "OE", "&": " & "}


def norm_account(value: str) -> str:
    """BC bank-account comparison form: uppercase, only A-Z and 0-9 (M7)."""
    upper = value.upper()
    if upper.isalnum() and upper.isascii():  # fast path: nothing to remove
        return upper
    return _NON_ALNUM.sub("", upper)


def fold(text: str) -> str:
    """Uppercase and strip accents ("Müller" -> "MULLER", "Straße" -> "STRASSE")."""
    if text.isascii():  # fast path: no accents to strip, "&" the only replacement
        return text.replace("&", " & ").upper() if "&" in text else text.upper()
    for src, dst in _REPLACEMENTS.items():
        if src in text:
            text = text.replace(src, dst)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def words(text: str) -> list[str]:
    """Accent-folded uppercase alphanumeric words."""
    return _WORDS.findall(fold(text))


_ABBREVIATIONS = {
    "INTL": "INTERNATIONAL", "INTERNAT": "INTERNATIONAL", "MFG": "MANUFACTURING",
    "SVC": "SERVICES", "SVCS": "SERVICES", "SERV": "SERVICES", "BROS": "BROTHERS",
    "ASSOC": "ASSOCIATES", "HLDG": "HOLDING", "HLDGS": "HOLDINGS", "GRP": "GROUP",
    "ENG": "ENGINEERING", "ENGG": "ENGINEERING", "SYS": "SYSTEMS", "MGMT": "MANAGEMENT",
    "DIST": "DISTRIBUTION", "TECH": "TECHNOLOGIES", "TECHN": "TECHNOLOGIES",
    "IND": "INDUSTRIES", "INDS": "INDUSTRIES", "CONSULT": "CONSULTING", "ST": "SAINT",
    "UND": "AND", "ET": "AND", "Y": "AND",
}


def _strip_forms(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for form in _FORM_FIRST.get(tokens[i], ()):
            if tuple(tokens[i:i + len(form)]) == form:
                i += len(form)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Normalised party name: accents folded, punctuation and legal forms removed.

    "Müller GmbH & Co. KG" -> "MULLER"; "Société Générale S.A." -> "SOCIETE GENERALE".
    Falls back to all words when the name consists only of legal-form words.
    """
    tokens = [_ABBREVIATIONS.get(t, t) for t in words(name)]
    tokens = [t for t in tokens if t != "AND"] or tokens
    stripped = _strip_forms(tokens)
    return " ".join(stripped or tokens)


def name_tokens(name: str) -> list[str]:
    """Index tokens of a name (normalised words of two letters or more)."""
    return [t for t in name_key(name).split() if len(t) >= 2]
