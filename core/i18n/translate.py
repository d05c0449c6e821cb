"""gettext for Lettrage: the current language, ``_``, ``ngettext``, ``pgettext`` and lazy
strings for text fixed at import time (module constants, Textual ``BINDINGS``).

The language is per process (one clerk per process; ``lettrage serve`` starts one process
per browser). ``using_language()`` switches it for one block in the current thread or task
only, e.g. to write a customer's reminder in the customer's language.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from core.i18n.catalogs import DOMAIN, mo_file

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"

_current = DEFAULT_LANGUAGE
_override: ContextVar[str | None] = ContextVar("lettrage_language", default=None)
_translations: dict[str, _gettext.NullTranslations] = {}


def normalize(language: str | None) -> str | None:
    """``fr_FR.UTF-8``, ``fr-CA``, ``FR`` -> ``fr``; None when not a supported language."""
    if not language:
        return None
    code = language.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def translation(language: str) -> _gettext.NullTranslations:
    """The (cached) translations of ``language``; English is the source language."""
    found = _translations.get(language)
    if found is None:
        path = mo_file(language) if language != DEFAULT_LANGUAGE else None
        if path is None:
            found = _gettext.NullTranslations()
        else:
            with path.open("rb") as f:
                found = _gettext.GNUTranslations(f)
        _translations[language] = found
    return found


def set_language(language: str) -> str:
    """Make ``language`` (``en``, ``fr`` or a locale name) the process's language.
    Raises ValueError naming the supported languages otherwise."""
    code = normalize(language)
    if code is None:
        raise ValueError(f"unsupported language {language!r}: choose "
                         + " or ".join(sorted(LANGUAGES)))
    global _current
    translation(code)  # load (and compile if needed) now, not at the first string
    _current = code
    return code


def get_language() -> str:
    return _override.get() or _current


# BC's three-letter language codes (Language table) for the languages Lettrage has.
_BC_CODES = {"fra": "fr", "fre": "fr", "frb": "fr", "frc": "fr", "frs": "fr",
             "enu": "en", "eng": "en", "eng_gb": "en"}


def customer_language(code: str | None) -> str:
    """The language a customer's documents are written in, from the customer's language
    code (``fr``, ``fr-BE``, BC's ``FRA``...), whatever the clerk's; English (the
    company's, the source language) when Lettrage does not have it."""
    text = (code or "").strip().lower()
    return normalize(_BC_CODES.get(text, text)) or DEFAULT_LANGUAGE


@contextmanager
def using_language(language: str) -> Iterator[str]:
    """Translate in ``language`` inside the block (this thread/task only)."""
    code = normalize(language) or DEFAULT_LANGUAGE
    token = _override.set(code)
    try:
        yield code
    finally:
        _override.reset(token)


def reload_catalogs() -> None:
    """Forget loaded catalogs (after a translator edited a ``.po``; tests)."""
    _translations.clear()


# --- the marking functions (keywords known to the extractor, see babel.cfg) -------------


def gettext(message: str) -> str:
    # called tens of thousands of times per Apply Automatically (the evidence): the
    # plain-str case reads the language and its cached catalog inline
    if message.__class__ is not str and isinstance(message, LazyString):
        return message.translated()  # _(N_("...")) translates the marked string now
    if not message:  # gettext("") would be the catalog's header
        return message
    found = _translations.get(_override.get() or _current)
    if found is None:
        found = translation(get_language())
    return found.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation(get_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translation(get_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translation(get_language()).npgettext(context, singular, plural, n)


_ = gettext


class LazyString(str):
    """A marked message that is a real ``str`` (its text: the translation in the language
    current when it was made) and knows its message id, so it can be translated again:
    ``str(x)``, ``f"{x}"`` and ``_(x)`` give the translation in the current language.
    Textual reads ``Binding`` descriptions as plain ``str``: the TUI re-translates them
    when the language changes (``tui.i18n.retranslate``)."""

    msgid: str
    context: str | None

    def __new__(cls, message: str, context: str | None = None) -> LazyString:
        text = gettext(message) if context is None else pgettext(context, message)
        self = super().__new__(cls, text)
        self.msgid = message
        self.context = context
        return self

    def translated(self) -> str:
        """The message in the current language, as a plain ``str``."""
        if not self.msgid:
            return ""
        if self.context is None:
            return translation(get_language()).gettext(self.msgid)
        return translation(get_language()).pgettext(self.context, self.msgid)

    def __str__(self) -> str:
        return self.translated()

    def __format__(self, spec: str) -> str:
        return format(self.translated(), spec)

    def __repr__(self) -> str:
        return f"N_({self.msgid!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyString, (self.msgid, self.context))

    def __add__(self, other: str) -> str:  # type: ignore[override]
        """``N_("a") + N_("b")`` (or a plain ``str``) stays translatable as a whole."""
        return LazyJoin((self, other))

    def __radd__(self, other: str) -> str:
        return LazyJoin((other, self))


class LazyJoin(LazyString):
    """Marked messages (and plain text) concatenated: translated part by part."""

    parts: tuple[str, ...]

    def __new__(cls, parts: tuple[str, ...]) -> LazyJoin:  # type: ignore[misc]
        flat: list[str] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, LazyJoin) else (part,))
        self = str.__new__(cls, "".join(_part(p) for p in flat))
        self.parts, self.msgid, self.context = tuple(flat), "", None
        return self

    def translated(self) -> str:
        return "".join(_part(p) for p in self.parts)

    def __repr__(self) -> str:
        return " + ".join(repr(p) for p in self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyJoin, (self.parts,))


def _part(part: str) -> str:
    return part.translated() if isinstance(part, LazyString) else part


def N_(message: str) -> str:
    """Mark ``message`` for translation where the text is fixed at import time (module
    constants, ``BINDINGS``). Returns a ``LazyString`` (a ``str``); show it with
    ``_(CONSTANT)`` so it follows the current language."""
    return LazyString(message)


def NP_(context: str, message: str) -> str:
    """``N_`` with a context (``pgettext``) for an ambiguous word."""
    return LazyString(message, context)


__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "NP_",
    "N_",
    "LazyString",
    "_",
    "customer_language",
    "get_language",
    "gettext",
    "ngettext",
    "npgettext",
    "pgettext",
    "set_language",
    "translation",
    "using_language",
]
