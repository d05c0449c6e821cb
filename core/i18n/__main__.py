"""Translators' tool: ``python -m core.i18n extract|check|missing|compile``.

* ``extract [-o FILE]``  the marked strings as a ``.pot`` template (default: stdout)
* ``check``              what the CI test checks; exit 1 with one line per problem
* ``missing --part CAP`` append the strings no catalog has yet to
                         ``locale/fr/LC_MESSAGES/parts/CAP.po`` (empty, to translate)
* ``prune [--part CAP]``  remove the entries the source no longer marks
* ``compile [--out DIR]`` compile the catalogs to ``.mo`` (default: next to the ``.po``)
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.pofile import write_po

from core.i18n.catalogs import DOMAIN, LOCALE_DIR, compile_all, read_catalog
from core.i18n.extract import check, extract, missing_entries

# Parts translating a library's own text (argparse, Textual): nothing in our source marks it.
EXTERNAL_PARTS = frozenset({"argparse", "textual"})


def _write_po(catalog: object, path: Path | None) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True)  # type: ignore[arg-type]
    if path is None:
        sys.stdout.write(buffer.getvalue().decode("utf-8"))
    else:
        path.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.i18n")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract")
    p.add_argument("-o", "--output", type=Path)
    sub.add_parser("check")
    p = sub.add_parser("missing")
    p.add_argument("--part", help="capability name, e.g. collections (default: the main "
                   "catalog lettrage.po)")
    p.add_argument("--language", default="fr")
    p = sub.add_parser("prune", help="remove entries the source no longer marks")
    p.add_argument("--part", help="capability name (default: the main catalog)")
    p.add_argument("--language", default="fr")
    p = sub.add_parser("compile")
    p.add_argument("--out", type=Path, default=LOCALE_DIR)
    args = parser.parse_args(argv)

    if args.command == "extract":
        _write_po(extract(), args.output)
    elif args.command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1 if problems else 0
    elif args.command == "missing":
        found = missing_entries(args.language)
        folder = LOCALE_DIR / args.language / "LC_MESSAGES"
        part = folder / "parts" / f"{args.part}.po" if args.part else folder / f"{DOMAIN}.po"
        if part.is_file():
            existing = read_catalog(part, args.language)
            for message in found:
                if message.id:
                    existing[message.id] = message
            found = existing
        part.parent.mkdir(parents=True, exist_ok=True)
        found.domain = DOMAIN
        _write_po(found, part)
        print(f"{part}: {sum(1 for m in found if m.id)} entries")
    elif args.command == "prune":
        if args.part in EXTERNAL_PARTS:
            print(f"parts/{args.part}.po translates a library's text, not ours: not pruned")
            return 0
        folder = LOCALE_DIR / args.language / "LC_MESSAGES"
        path = folder / "parts" / f"{args.part}.po" if args.part else folder / f"{DOMAIN}.po"
        catalog = read_catalog(path, args.language)
        marked = {(m.id if isinstance(m.id, str) else m.id[0], m.context)
                  for m in extract() if m.id}
        gone = [m for m in catalog
                if m.id and (m.id if isinstance(m.id, str) else m.id[0], m.context) not in marked]
        for message in gone:
            catalog.delete(message.id, context=message.context)
        _write_po(catalog, path)
        print(f"{path}: removed {len(gone)} entries")
    elif args.command == "compile":
        for path in compile_all(args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
