"""Running core calls off the UI thread.

``run_query`` runs a synchronous core call in a THREAD worker (one session per call,
opened inside the service) and only posts messages back: ``Loaded`` to the widget that
asked, ``CommandFailed`` for a clerk's error, ``UnexpectedError`` for a bug. Widgets
that use it mix in ``LoadsData`` so ``Loaded`` runs its continuation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from core.kernel.errors import LettrageError
from tui.messages import CommandFailed, Loaded, UnexpectedError

T = TypeVar("T")


def run_query(node: DOMNode, call: Callable[[], T], then: Callable[[T], object], *,
              group: str, exclusive: bool = True, title: str = "") -> Worker[None]:
    """Run ``call`` in a thread worker and hand its value to ``then`` on the UI thread.

    With ``exclusive`` a newer call of the same group cancels an older one, whose
    result is then dropped (a stale page never overwrites a fresh one).
    """

    def job() -> None:
        try:
            value = call()
        except LettrageError as error:
            node.post_message(CommandFailed(error, title))
            return
        except Exception as error:
            node.post_message(UnexpectedError(error))
            return
        if not get_current_worker().is_cancelled:
            node.post_message(Loaded(value, then))

    return node.run_worker(job, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=False)


class LoadsData:
    """Mixin for widgets and screens that use ``run_query``."""

    def on_loaded(self, message: Loaded) -> None:
        message.stop()
        message.then(message.value)


def noop(_value: Any) -> None:
    """A continuation that ignores the value."""
