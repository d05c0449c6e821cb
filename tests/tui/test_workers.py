"""The one worker idiom (tui/workers.py ``core_worker``): a thread worker's typed message
reaches its screen's handler, a clerk's error becomes ``CommandFailed`` with its title,
and every typed message has a handler somewhere (a typo in a handler name would
otherwise silently drop it)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.widgets import Static

import screens
import tui
from core.kernel.errors import LettrageError
from tests.ui_fixtures import Messages
from tui.messages import CommandFailed, Outcome, UnexpectedError
from tui.workers import core_worker


class Doubler(Static):
    @dataclass
    class Doubled(Outcome):
        value: int

    def __init__(self) -> None:
        super().__init__("", id="doubler")
        self.results: list[int] = []

    @core_worker("double", title="Cannot double")
    def double(self, value: int) -> Doubled:
        if value < 0:
            raise LettrageError("negative")
        if value == 0:
            raise ZeroDivisionError("zero")
        return self.Doubled(value * 2)

    def on_doubler_doubled(self, message: Doubled) -> None:
        self.results.append(message.value)


class Harness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.failures: list[CommandFailed] = []
        self.bugs: list[UnexpectedError] = []

    def compose(self) -> ComposeResult:
        yield Doubler()

    def on_command_failed(self, message: CommandFailed) -> None:
        self.failures.append(message)

    def on_unexpected_error(self, message: UnexpectedError) -> None:
        self.bugs.append(message)


async def test_the_message_reaches_the_handler_and_errors_bubble() -> None:
    messages = Messages()
    app = Harness()
    async with app.run_test(message_hook=messages) as pilot:
        doubler = app.query_one(Doubler)
        doubler.double(21)
        done = await messages.wait_for(pilot, Doubler.Doubled)
        assert done.value == 42 and doubler.results == [42]
        assert not Doubler.Doubled.bubble  # posted to its node only
        doubler.double(-1)
        failed = await messages.wait_for(pilot, CommandFailed)
        assert str(failed.error) == "negative" and failed.title == "Cannot double"
        assert app.failures == [failed] and doubler.results == [42]
        doubler.double(0)
        bug = await messages.wait_for(pilot, UnexpectedError)
        assert isinstance(bug.error, ZeroDivisionError) and app.bugs == [bug]


def _subclasses(kind: type) -> list[type]:
    found = []
    for sub in kind.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_typed_message_has_a_handler() -> None:
    classes: list[type] = []
    for package in (screens, tui):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):  # running it starts the command line
                continue
            module = importlib.import_module(info.name)
            classes += [c for _, c in inspect.getmembers(module, inspect.isclass)
                        if c.__module__ == module.__name__]
    outcomes = [m for m in _subclasses(Outcome) if m.__module__.startswith(("screens", "tui"))]
    assert len(outcomes) > 10
    unhandled = [m.__qualname__ for m in outcomes
                 if not any(hasattr(c, m.handler_name) for c in classes)]
    assert unhandled == []
