"""Messages that cross widgets and screens. Facts in the past tense, posted by workers
(thread-safe) and handled on the UI thread."""

from __future__ import annotations

from textual.message import Message

from core.kernel.errors import LettrageError


class Outcome(Message, bubble=False):
    """What a ``core_worker`` found or did, posted to the node that started it (which
    handles it; it does not bubble). Subclasses are dataclasses named in the past tense
    (``LinesApplied``, ``PageLoaded``) carrying the service's answer. Defined inside
    the screen (handler ``on_<screen>_<message>``) or, to keep a big screen class
    small, next to it with ``namespace="<screen>"`` (the same handler name)."""

    def __init_subclass__(cls, bubble: bool | None = False, verbose: bool = False,
                          no_dispatch: bool | None = False,
                          namespace: str | None = None) -> None:
        super().__init_subclass__(bubble=bubble, verbose=verbose, no_dispatch=no_dispatch,
                                  namespace=namespace)


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

