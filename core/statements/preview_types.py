"""What an import preview shows: the file, each line's verdict (new, duplicate,
suspicious, skipped) and each statement's checks; plain values the dialog and the
command line render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, cast

from core.i18n import _
from core.kernel.errors import Text
from core.ledger.bank_statements import StatementLineValues
from core.statements import ParsedFile, Statement

LineKind = Literal["new", "duplicate", "suspicious", "skipped"]


@dataclass(frozen=True)
class SourceFile:
    """A parsed file and the fingerprint of its bytes."""

    name: str
    sha256: str
    parsed: ParsedFile


@dataclass(frozen=True)
class LineVerdict:
    """What the import will do with one line, and why in words."""

    line_no: int
    booking_date: date
    amount: Decimal
    currency: str
    counterparty: str
    remittance: str
    bank_reference: str
    kind: LineKind
    reason: str
    dedup_key: str
    occurrence: int
    values: StatementLineValues = field(default_factory=lambda: cast(StatementLineValues, {}),
                                        repr=False, compare=False)


@dataclass(frozen=True)
class StatementPreview:
    """One statement: its bank account, line verdicts and warnings."""

    index: int
    label: Text | str
    statement: Statement = field(repr=False)
    bank_account_no: str
    currency: str
    period_start: date | None
    period_end: date | None
    lines: tuple[LineVerdict, ...]
    balance_continues: bool | None
    balance_note: Text | str  # language-neutral, worded when shown
    warnings: tuple[Text | str, ...]
    recorded_before: bool = False  # this very statement was imported before

    def count(self, kind: LineKind) -> int:
        return sum(1 for v in self.lines if v.kind == kind)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def duplicate(self) -> int:
        return self.count("duplicate")

    @property
    def suspicious(self) -> int:
        return self.count("suspicious")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    def summary(self) -> str:
        text = _("{label} ({bank}, {lines} lines): {new} new, {duplicate} already imported, "
                 "{suspicious} suspicious").format(
            label=self.label, bank=self.bank_account_no, lines=len(self.lines), new=self.new,
            duplicate=self.duplicate, suspicious=self.suspicious)
        return text + (_(", {skipped} not booked yet").format(skipped=self.skipped)
                       if self.skipped else "")


@dataclass(frozen=True)
class ImportPreview:
    """Everything the clerk sees before confirming an import."""

    source: SourceFile = field(repr=False)
    statements: tuple[StatementPreview, ...]
    earlier_imports: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return self.source.name

    @property
    def file_sha256(self) -> str:
        return self.source.sha256

    @property
    def format(self) -> str:
        return self.source.parsed.format

    def total(self, kind: LineKind) -> int:
        return sum(p.count(kind) for p in self.statements)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(f"{p.label}: {w}" for p in self.statements for w in p.warnings)

    def describe(self, with_lines: bool = True) -> str:
        """The preview in words, one statement a line, warnings indented; with
        ``with_lines`` also why each suspicious line is suspicious."""
        out = [_("{file} ({format}): {new} new, {duplicate} already imported, {suspicious} "
                 "suspicious").format(file=self.file_name, format=self.format,
                                      new=self.total("new"), duplicate=self.total("duplicate"),
                                      suspicious=self.total("suspicious"))]
        out += ["  " + _("note: {text}").format(text=text) for text in self.earlier_imports]
        for p in self.statements:
            out.append(f"  {p.summary()}")
            if p.balance_continues is not False:  # a break is listed among the warnings
                out.append("    " + _("balance: {note}").format(note=p.balance_note))
            out += ["    " + _("warning: {text}").format(text=w) for w in p.warnings]
            out += ["    " + _("line {line_no}: {reason}").format(line_no=v.line_no,
            reason=v.reason)
                    for v in p.lines
                    if v.kind == "suspicious" and with_lines]
        return "\n".join(out)
