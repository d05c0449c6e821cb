"""Writing rendered documents to the folder the clerk chose."""

from __future__ import annotations

import re
from pathlib import Path

from core.documents.model import Document
from core.documents.pdf import render_pdf
from core.documents.text import render_text
from core.i18n import N_
from core.kernel.errors import LettrageError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(doc: Document) -> str:
    return _UNSAFE.sub("_", f"{doc.number}_{doc.recipient.name}")[:80].strip("_.")


def write_document(doc: Document, folder: Path) -> tuple[Path, Path]:
    """Write ``<no>_<customer>.pdf`` and ``.txt`` into ``folder`` (created if needed)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / file_stem(doc)
        pdf, txt = stem.with_suffix(".pdf"), stem.with_suffix(".txt")
        pdf.write_bytes(render_pdf(doc))
        txt.write_text(render_text(doc), encoding="utf-8")
    except OSError as exc:
        raise LettrageError(N_("Cannot write {lower} {number} to {folder}: {value}"),
                            lower=doc.title.lower(), number=doc.number, folder=folder,
                            value=exc.strerror or exc) from None
    return pdf, txt
