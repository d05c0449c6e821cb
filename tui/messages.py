"""Messages that cross widgets and screens. Facts in the past tense, posted by workers
(thread-safe) and handled on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message

from core.kernel.errors import LettrageError


class Loaded(Message, bubble=False):
    """A worker finished a read; ``then`` runs with its value on the UI thread."""

    def __init__(self, value: Any, then: Callable[[Any], object]) -> None:
        super().__init__()
        self.value = value
        self.then = then


class CommandFailed(Message):
    """A core call refused with a rule the clerk can act on; bubbles to the app,
    which shows it as a notification."""

    def __init__(self, error: LettrageError, title: str = "") -> None:
        super().__init__()
        self.error = error
        self.title = title


class UnexpectedError(Message):
    """A bug: bubbles to the app, which logs it and shows the error dialog."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

