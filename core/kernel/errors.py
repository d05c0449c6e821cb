"""Domain errors: one class per rule.

An error carries a message id (the English text with ``{named}`` placeholders, marked with
``N_``) and its parameters; ``str(error)`` is the message in the current language with the
parameters in the language's form (dates, amounts), so the UI and the command line show
``str(error)`` and get French or English::

    raise ApplicationError(N_("Entry {entry_no} is closed"), entry_no=7)

``error.message_id`` and ``error.params`` stay language-neutral (logs, JSON, tests).
A plain message without parameters still works (shown as written when not in a catalog).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.i18n import LazyString, _, format_date, format_number, using_language


def show_param(value: Any) -> Any:
    """A message parameter in the current language's form: dates and decimals
    (``2026-11-27`` -> ``27/11/2026``, ``1234.50`` -> ``1 234,50`` in French)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return format_number(value, places)
    if isinstance(value, (LazyString, Text, TextLines, TextList)):
        return str(value)
    return value


class Text:
    """A message id and its parameters, worded in the current language by ``str()``:
    a piece of an error message (a problem, a place, what was expected) kept
    language-neutral until it is shown. A plain ``str`` given as message id is shown as
    written when no catalog has it (a library's own message)."""

    __slots__ = ("message_id", "params")

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message_id = message.msgid if isinstance(message, LazyString) and \
            message.msgid else str(message)
        self.params = params

    def __str__(self) -> str:
        return render(self.message_id, self.params)

    def __repr__(self) -> str:
        return f"Text({self.message_id!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.message_id, self.params) == (
            other.message_id, other.params)

    def __hash__(self) -> int:
        return hash(self.message_id)

    def __reduce__(self) -> Any:
        return (_text, (self.message_id, self.params))


class TextLines:
    """Texts shown one per line (a list of problems as one message parameter)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Text | str]) -> None:
        self.items = items

    def __str__(self) -> str:
        return "\n".join(str(item) for item in self.items)

    def __reduce__(self) -> Any:
        return (TextLines, (self.items,))


class TextList:
    """Texts shown on one line, separated by ``sep`` ("2 already imported; 1 suspicious")."""

    __slots__ = ("items", "sep")

    def __init__(self, items: Sequence[Text | str], sep: str = "; ") -> None:
        self.items, self.sep = list(items), sep

    def __str__(self) -> str:
        return self.sep.join(str(item) for item in self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextList) and (self.items, self.sep) == (other.items,
                                                                          other.sep)

    def __hash__(self) -> int:
        return hash(self.sep)

    def __reduce__(self) -> Any:
        return (TextList, (self.items, self.sep))


def _text(message_id: str, params: dict[str, Any]) -> Text:
    return Text(message_id, **params)


def render(message_id: str, params: dict[str, Any]) -> str:
    """``message_id`` translated, with ``params`` put in."""
    text = _(message_id)
    if not params:
        return text
    # A placeholder with its own format (``{amount:,.2f}``, ``{name!r}``) gets the raw value.
    try:
        raw = {field.split(".")[0] for _lit, field, spec, conv
               in string.Formatter().parse(text) if field and (spec or conv)}
        return text.format(**{k: v if k in raw else show_param(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):  # a broken translation: fall back to English
        return str(message_id).format(**params)


class LettrageError(Exception):
    """Base of every error a clerk can act on (never a bug)."""

    def __init__(self, message: str = "", /, **params: Any) -> None:
        super().__init__(message)
        self.message_id = message.msgid if isinstance(message, LazyString) else str(message)
        self.params = params

    def __str__(self) -> str:
        return render(self.message_id, self.params) if self.message_id else ""

    def message_in(self, language: str) -> str:
        """The message in ``language`` (a document for a customer, a log in English)."""
        with using_language(language):
            return str(self)

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message_id, self.params))


def _rebuild(cls: type[LettrageError], message_id: str,
             params: dict[str, Any]) -> LettrageError:
    error = cls.__new__(cls)
    LettrageError.__init__(error, message_id, **params)
    return error


class NotFoundError(LettrageError):
    """A record named by the user does not exist."""


class PostingError(LettrageError):
    """A journal line or document cannot be posted."""


class BlockedError(PostingError):
    """The party is blocked for this kind of transaction."""


class UnbalancedError(PostingError):
    """A transaction does not balance."""


class ApplicationError(LettrageError):
    """Entries cannot be applied, unapplied or reversed as asked."""


class ConflictError(LettrageError):
    """Another clerk changed the same record meanwhile."""


class ImportFileError(LettrageError):
    """A file to load or import is malformed; the message names file and place."""


class SchemaError(LettrageError):
    """The database schema is newer than this program or otherwise unusable."""
