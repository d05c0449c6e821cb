"""The one error every statement parser raises.

A :class:`StatementError` names the file, the place in it (line number, XML element
path or CSV row) and what was expected there, so a clerk can act on the message. The
problem, the place and the expectation are message ids with parameters
(:class:`~core.kernel.errors.Text`), worded in the reader's language when shown.
"""

from __future__ import annotations

from typing import Any

from core.i18n import N_, _
from core.kernel.errors import ImportFileError, Text

Part = Text | str


def _text(part: Part | None) -> Text | None:
    if part is None or isinstance(part, Text):
        return part
    return Text(part)


class StatementError(ImportFileError):
    """A bank statement file cannot be read; ``str(error)`` says where and why."""

    def __init__(
        self,
        file: str,
        problem: Part,
        where: Part | None = None,
        expected: Part | None = None,
    ) -> None:
        self.file = file
        self.problem = _text(problem) or Text("")
        self.where = _text(where)
        self.expected = _text(expected)
        super().__init__(self.problem.message_id, **self.problem.params)

    def __str__(self) -> str:
        problem = str(self.problem)
        if self.where is not None:
            text = _("{file}, {where}: {problem}").format(file=self.file, where=self.where,
                                                           problem=problem)
        else:
            text = _("{file}: {problem}").format(file=self.file, problem=problem)
        if self.expected is not None:
            text += _(" (expected {expected})").format(expected=self.expected)
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.file, self.problem, self.where, self.expected))


# The places a parser names (marked here so every parser words them alike).
LINE = N_("line {line}")
CSV_ROW = N_("CSV row {row}")
LINE_ELEMENT = N_("line {line}, element {path}")
ELEMENT = N_("element {path}")
