"""The app shell: global keys, command palette, theme, and the one place where errors
become notifications (a clerk's error) or the error dialog (a bug, logged)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from core.i18n import LANGUAGES, N_, NP_, _, get_language, save_language, set_language
from core.kernel.errors import LettrageError
from screens.shared.navigate import Navigate
from tui.commands import LanguageProvider, RecordsProvider, ScreensProvider
from tui.context import AppServices, Context
from tui.faults import explain
from tui.home import HomeScreen
from tui.i18n import retranslate
from tui.messages import CommandFailed, UnexpectedError
from tui.navigation import screen_for
from tui.widgets.error_dialog import ErrorDialog
from tui.widgets.formatting import NumberFormat
from tui.widgets.help_screen import HelpScreen, help_rows

log = logging.getLogger("lettrage")
THEMES = ("textual-dark", "textual-light")


# Key names Textual shows in the footer and the help, in words of the clerk's language.
KEY_WORDS = {"space": NP_("key", "space"), "enter": NP_("key", "enter"),
             "esc": NP_("key", "esc"), "tab": NP_("key", "tab"),
             "delete": NP_("key", "delete"), "backspace": NP_("key", "backspace"),
             "insert": NP_("key", "insert"), "home": NP_("key", "home"),
             "end": NP_("key", "end"), "pageup": NP_("key", "pageup"),
             "pagedown": NP_("key", "pagedown")}


class LettrageApp(App[None]):
    """Lettrage: receivables cash work on the keyboard."""

    TITLE = "Lettrage"
    CSS_PATH: ClassVar[Any] = ["styles/app.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", N_("Help"), id="app.help"),
        Binding("ctrl+t", "toggle_theme", N_("Light/dark"), show=False, id="app.theme"),
        Binding("ctrl+g", "go_home", NP_("navigation", "Home"), show=False,
                id="app.home"),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True, id="app.quit"),
    ]
    COMMANDS = App.COMMANDS | {ScreensProvider, RecordsProvider, LanguageProvider}

    def __init__(self, services: AppServices, log_path: Path | None = None,
                 number_format: NumberFormat | None = None,
                 config_dir: Path | None = None) -> None:
        super().__init__()
        self.ctx = Context(services, number_format or NumberFormat())
        self.log_path = log_path
        self.config_dir = config_dir
        self.theme = THEMES[0]

    def on_mount(self) -> None:
        retranslate(self)  # key descriptions in the language chosen after import
        self.push_screen(HomeScreen(self.ctx))

    def get_key_display(self, binding: Binding) -> str:
        """Textual's key names in the clerk's language (``space`` -> ``espace``)."""
        shown = super().get_key_display(binding)
        word = KEY_WORDS.get(shown)
        return _(word) if word is not None else shown

    # --- global actions -----------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's palette, its placeholder in the clerk's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=_("Search for commands…")))

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        title = getattr(screen, "screen_title", lambda: type(screen).__name__)()
        self.push_screen(HelpScreen(str(title), help_rows(screen),
                                    _(getattr(screen, "HELP", ""))))

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands (Theme, Quit, Keys...) in the user's language."""
        for command in super().get_system_commands(screen):
            yield SystemCommand(_(command.title), _(command.help), command.callback,
                                command.discover)

    def action_language(self, code: str) -> None:
        """Switch the language now (palette): remembered in the user's config, key
        descriptions re-made, and the screens rebuilt from the home screen in it."""
        if code not in LANGUAGES or code == get_language():
            return
        set_language(code)
        if self.config_dir is not None:
            try:
                save_language(self.config_dir, code)
            except OSError as exc:
                log.warning("cannot save the language: %s", exc)
        retranslate(self)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(HomeScreen(self.ctx))
        self.notify(_("Language: {language}").format(language=LANGUAGES[code]),
                    title=N_("Language"))

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    @on(Navigate)
    def _navigate(self, message: Navigate) -> None:
        """A screen asks to open another capability's screen (``tui.navigation``)."""
        screen = screen_for(self.ctx, message.target, **message.params)
        if screen is not None:
            self.push_screen(screen)

    # --- errors -------------------------------------------------------------------------

    @on(CommandFailed)
    def _command_failed(self, message: CommandFailed) -> None:
        self.notify(str(message.error), title=message.title or _("Cannot do that"),
                    severity="warning", timeout=8)

    @on(UnexpectedError)
    def _unexpected(self, message: UnexpectedError) -> None:
        self.report_bug(message.error)

    def report_bug(self, error: BaseException) -> None:
        """Log the traceback to the log file; an infrastructure fault (disk full, database
        locked, server gone: ``data.faults.explain``) becomes a one-line notification,
        anything else the error dialog."""
        text = "".join(traceback.format_exception(error))
        fault = explain(error)
        if self.log_path is not None:
            try:
                with self.log_path.open("a", encoding="utf-8") as f:
                    f.write(text + "\n")
            except OSError:
                log.exception("cannot write the log file")
        log.error(text)
        if fault is not None:
            self.notify(fault, title=_("Cannot do that"), severity="error", timeout=12)
            return
        self.push_screen(ErrorDialog(f"{type(error).__name__}: {error}",
                                     str(self.log_path or "")))

    async def run_action(self, action: Any, default_namespace: Any = None,
                         namespaces: Any = None) -> bool:
        """Actions never take the app down: a clerk's error is a notification, a bug
        is logged and shown in the error dialog, and the app keeps running."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except LettrageError as error:
            self.post_message(CommandFailed(error))
        except Exception as error:
            self.report_bug(error)
        return True
