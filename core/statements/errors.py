"""The one error every statement parser raises.

A :class:`StatementError` names the file, the place in it (line number, XML element
path or CSV row) and what was expected there, so a clerk can act on the message.
"""

from __future__ import annotations

from core.kernel.errors import ImportFileError


class StatementError(ImportFileError):
    """A bank statement file cannot be read; ``str(error)`` says where and why."""

    def __init__(
        self,
        file: str,
        problem: str,
        where: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.problem = problem
        self.where = where
        self.expected = expected
        text = f"{file}"
        if where:
            text += f", {where}"
        text += f": {problem}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)

    def __reduce__(self) -> tuple[type, tuple[str, str, str | None, str | None]]:
        return (type(self), (self.file, self.problem, self.where, self.expected))
