"""Finding user-visible text that is not marked for translation.

The catalog check (``core.i18n.extract.check``) only sees strings marked with ``_()``,
``N_()``...; a literal someone forgot to mark never reaches it. This scanner reads the
source's syntax trees and reports string literals (plain or f-strings) in the places a
user reads them:

* the message of a raised error (``raise XError("...")``),
* ``notify()``, ``Static()``, ``Label()``, ``Button()``, ``ConfirmModal()``... text,
* ``Binding``'s description, a ``DataTable`` column title (``add_column(s)``),
* argparse's ``help=`` / ``description=`` / ``epilog=``,
* a ``warnings.append("...")`` shown in a preview, ``print()`` of the command line,
* anywhere, an f-string holding English words (``f"all {n} lines were imported"``): an
  f-string cannot be translated, so it is either a machine text (marked ``# i18n: not
  shown``) or a sentence that should be a marked message with parameters,
* a literal given as a parameter of a marked message (``_("...: {why}").format(why="no
  new line")``), which would stay English inside the translated sentence.

A literal counts as text when it holds a word of two letters or more with a lower-case
letter and a space or a capital first letter (``"Ntry/Amt"``, ``"YYYY-MM-DD"``, ``"%s"``
are not). A line ending with ``# i18n: not shown`` (a log line, a machine format, data)
is skipped, as is a literal that is the whole argument of a marker.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.i18n.extract import KEYWORDS, ROOT, SOURCE_DIRS

SKIP_COMMENT = "i18n: not shown"
# Calls whose first argument (or the keywords named) a user reads.
TEXT_CALLS = {
    "notify": (0, ("message", "title")),
    "Static": (0, ()),
    "Label": (0, ()),
    "Button": (0, ("label",)),
    "Checkbox": (0, ("label",)),
    "RadioButton": (0, ("label",)),
    "Switch": (None, ()),
    "ConfirmModal": (None, ("yes", "no", "title", "body")),
    "Binding": (2, ("description",)),
    "add_column": (0, ("label",)),
    "add_parser": (None, ("help", "description", "epilog")),
    "add_argument": (None, ("help",)),
    "add_argument_group": (0, ("description",)),
    "add_subparsers": (None, ("title", "help", "description")),
    "ArgumentParser": (None, ("description", "epilog")),
    "Input": (None, ("placeholder",)),
    "update": (0, ()),
    "set_title": (0, ()),
    "warning": (None, ()),
    "append_warning": (0, ()),
    "print": (0, ()),
    "fail": (0, ()),
    "exit_error": (0, ()),
}
# ``x.append("...")`` counts only on these names (user-facing lists).
APPENDED_TO = {"warnings", "problems", "messages", "notes", "lines_out"}
# Raising these is a bug in the program, not a message to a clerk (whose errors are
# LettrageError, RowError, ProfileError...): their text is for the developer.
PROGRAMMING_ERRORS = {"ValueError", "TypeError", "RuntimeError", "AssertionError",
                      "NotImplementedError", "KeyError", "IndexError", "FileNotFoundError",
                      "AttributeError"}
# Developers' tools, in English on purpose.
SKIPPED_FILES = {"core/i18n/__main__.py", "data/demo_bankrec.py"}
SKIPPED_FOLDERS = ("data/migrations/",)
_WORD = re.compile(r"[A-Za-z]{2,}")
_ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")
# Machine texts built with f-strings: SQL, XML, generated code.
_MACHINE = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH|<|def )")


@dataclass(frozen=True)
class Literal:
    path: str
    line: int
    text: str
    where: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.where}: {self.text!r}"


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_text(node: ast.expr) -> str | None:
    """The text of a str literal or f-string (placeholders as ``{}``), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str)
                       else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        left = _literal_text(node.left)
        if left is not None:
            return left
        return _literal_text(node.right) if isinstance(node.op, ast.Add) else None
    return None


def is_text(text: str) -> bool:
    """Whether ``text`` reads as words (module doc), not a code, format or key."""
    words = _WORD.findall(re.sub(r"\{[^}]*\}|%\(\w+\)\w|\[/?[a-z ]*\]", " ", text))
    if not any(any(c.islower() for c in w) for w in words):
        return False
    if len(words) == 1 and words[0].islower():
        return False  # "lettrage: {}", "{}: {}": a program name or a key around values
    stripped = text.strip()
    if " " not in stripped:
        # one word: text when capitalised ("Close"), not a key or identifier ("id", "fr")
        return bool(re.fullmatch(r"[A-Z][a-z]+[.:!?]?", stripped))
    return True


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.found: list[Literal] = []
        self.exempt: set[int] = set()  # f-strings a developer reads (programming errors)
        self.reported: set[int] = set()

    def _report(self, node: ast.expr, where: str) -> None:
        text = _literal_text(node)
        if text is None or not is_text(text) or id(node) in self.reported:
            return
        self.reported.add(id(node))
        end = getattr(node, "end_lineno", node.lineno) or node.lineno
        for number in range(node.lineno, end + 1):
            if SKIP_COMMENT in self.lines[number - 1]:
                return
        self.found.append(Literal(self.path, node.lineno, text, where))

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """``f"{_('late')}"``: Babel's extractor does not look inside f-strings, so the
        string never reaches the catalog and stays English. An f-string with two English
        words or more is a sentence nobody can translate."""
        words = "".join(v.value for v in node.values
                        if isinstance(v, ast.Constant) and isinstance(v.value, str))
        if len(_ENGLISH_WORD.findall(words)) >= 2 and " " in words.strip() and \
                id(node) not in self.exempt and not _MACHINE.match(words):
            self._report(node, "f-string")
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                for inner in ast.walk(part.value):
                    if isinstance(inner, ast.Call) and _call_name(inner.func) in KEYWORDS \
                            and inner.args and _literal_text(inner.args[-1]) is not None:
                        self.found.append(Literal(self.path, inner.lineno,
                                                  _literal_text(inner.args[-1]) or "",
                                                  "marker inside an f-string"))
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        call = node.exc
        if isinstance(call, ast.Call) and (name := _call_name(call.func)):
            if name in PROGRAMMING_ERRORS:  # the developer's text: English on purpose
                self.exempt.update(id(n) for arg in call.args for n in ast.walk(arg))
            elif name not in KEYWORDS:
                for arg in call.args:
                    self._report(arg, f"raise {name}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in KEYWORDS:  # the marked text itself is the catalog's business
            self.exempt.update(id(n) for arg in node.args for n in ast.walk(arg))
        if name == "format" and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Call) and \
                _call_name(node.func.value.func) in KEYWORDS:
            for kw in node.keywords:
                if isinstance(kw.value, ast.Constant):
                    self._report(kw.value, f"parameter {kw.arg} of a translated "  # i18n: not shown
                                 "message")
        if name in TEXT_CALLS:
            position, keywords = TEXT_CALLS[name]
            if position is not None and len(node.args) > position:
                self._report(node.args[position], name)
            for kw in node.keywords:
                if kw.arg in keywords:
                    self._report(kw.value, f"{name}({kw.arg}=)")
        elif name == "append" and isinstance(node.func, ast.Attribute) and node.args:
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else \
                owner.id if isinstance(owner, ast.Name) else None
            if owner_name in APPENDED_TO:
                self._report(node.args[0], f"{owner_name}.append")
        self.generic_visit(node)


def scan_file(path: Path, root: Path = ROOT) -> list[Literal]:
    source = path.read_text(encoding="utf-8")
    visitor = _Visitor(str(path.relative_to(root)), source.splitlines())
    visitor.visit(ast.parse(source, filename=str(path)))
    return visitor.found


def unmarked(root: Path = ROOT, dirs: Iterable[str] = SOURCE_DIRS) -> Iterator[Literal]:
    """Every unmarked user-visible literal under ``dirs`` of ``root`` (module doc)."""
    for folder in dirs:
        for path in sorted((root / folder).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name not in SKIPPED_FILES and not name.startswith(SKIPPED_FOLDERS):
                yield from scan_file(path, root)
