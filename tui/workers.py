"""Running core calls off the UI thread: one idiom.

A screen (or widget) reaches the core in a method decorated with ``@core_worker``. The
method runs in a THREAD worker, calls the service (one session per call, opened inside
the service) and returns a typed message in the past tense (``LinesApplied``,
``EntriesLoaded``, ``PaymentsPosted``), a dataclass deriving from ``Outcome`` defined
next to the screen with ``namespace="<screen>"``; the decorator posts it to the node
that started the worker, which handles it on the UI thread in ``on_<screen>_<message>``.
A worker never touches a widget; it gets what it needs from the screen as arguments.

A clerk's error (``LettrageError``) becomes ``CommandFailed`` titled ``title``, a bug
``UnexpectedError``; both bubble to the app. With ``exclusive`` a newer call of the same
group on the same node cancels an older one, whose message is then dropped (a stale page
never overwrites a fresh one). Tests wait for the typed message (``tests/ui_fixtures``
``Messages``) instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from textual import work
from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from core.i18n import _
from core.kernel.errors import LettrageError
from tui.messages import CommandFailed, UnexpectedError

N = TypeVar("N", bound=DOMNode)
P = ParamSpec("P")


def core_worker(group: str, *, exclusive: bool = True, title: str = "") -> Callable[
        [Callable[Concatenate[N, P], Message | None]],
        Callable[Concatenate[N, P], Worker[None]]]:
    """Make ``method`` a thread worker whose returned message is posted to its node.

    ``title`` (an ``N_`` msgid) heads the notification of a clerk's error; ``None``
    returned means nothing to say.
    """

    def decorator(method: Callable[Concatenate[N, P], Message | None]
                  ) -> Callable[Concatenate[N, P], Worker[None]]:
        @wraps(method)
        def job(node: N, /, *args: P.args, **kwargs: P.kwargs) -> None:
            try:
                message = method(node, *args, **kwargs)
            except LettrageError as error:
                node.post_message(CommandFailed(error, _(title) if title else ""))
                return
            except Exception as error:
                node.post_message(UnexpectedError(error))
                return
            if message is not None and not get_current_worker().is_cancelled:
                node.post_message(message)

        # a fixed description: Textual would otherwise repr every argument (a whole
        # statement preview, thousands of marks) on the UI thread for each worker
        return work(thread=True, group=group, exclusive=exclusive, exit_on_error=False,
                    description=method.__name__)(job)

    return decorator

