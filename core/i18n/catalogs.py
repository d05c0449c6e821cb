"""Where the message catalogs live and how they become ``.mo`` files.

The French catalog is ``locale/fr/LC_MESSAGES/lettrage.po`` plus every
``locale/fr/LC_MESSAGES/parts/*.po`` (one part per capability, so helpers adding their
strings never edit the same file). Compiling merges them into one ``lettrage.mo``.

This module imports only the standard library and Babel: ``setup.py`` loads it by file
path during the build (before Lettrage is installed) to compile the catalogs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "lettrage"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalog_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Languages with a catalog (English, the source language, has none)."""
    return sorted(p.name for p in locale_dir.iterdir()
                  if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file())


def source_files(language: str, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` files of ``language``: the main catalog first, then the parts by name."""
    folder = locale_dir / language / "LC_MESSAGES"
    main = folder / f"{DOMAIN}.po"
    parts = sorted((folder / "parts").glob("*.po")) if (folder / "parts").is_dir() else []
    return ([main] if main.is_file() else []) + parts


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def merged_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """Main catalog plus the parts; a later file never overrides an earlier translation
    with an empty or fuzzy one (the CI check reports real duplicates)."""
    files = source_files(language, locale_dir)
    if not files:
        raise FileNotFoundError(f"no catalog for language {language!r} in {locale_dir}")
    merged = read_catalog(files[0], language)
    for path in files[1:]:
        for message in read_catalog(path, language):
            if not message.id:
                continue
            existing = merged.get(message.id, context=message.context)
            if existing is not None and existing.string and not existing.fuzzy:
                continue
            merged[message.id] = message
    return merged


def compile_to(language: str, target: Path, locale_dir: Path = LOCALE_DIR) -> Path:
    """Write the merged catalog of ``language`` as a ``.mo`` at ``target`` atomically
    (another process compiling at the same time never sees half a file)."""
    catalog = merged_catalog(language, locale_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".lettrage-", suffix=".mo", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def compile_all(out_dir: Path, locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every language into ``out_dir/<lang>/LC_MESSAGES/lettrage.mo`` (the build
    step calls this with the package's locale folder in the build directory)."""
    return [compile_to(lang, out_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", locale_dir)
            for lang in catalog_languages(locale_dir)]


def sources_key(files: Iterable[Path]) -> str:
    """A short fingerprint of the catalog sources (names, sizes, modification times)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in files:
        st = path.stat()
        digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    override = os.environ.get("LETTRAGE_CACHE_DIR")
    if override:
        return Path(override) / "locale"
    import platformdirs  # only when no LETTRAGE_CACHE_DIR (core.i18n loads first of all)

    return Path(platformdirs.user_cache_path("lettrage")) / "locale"


def mo_file(language: str, locale_dir: Path = LOCALE_DIR) -> Path | None:
    """The compiled catalog for ``language``: the one the build installed when it is
    current, else one compiled now into the cache (editable installs, CI, a translator
    who just edited a ``.po``). None for a language without a catalog."""
    files = source_files(language, locale_dir)
    if not files:
        return None
    built = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    newest = max(p.stat().st_mtime_ns for p in files)
    if built.is_file() and built.stat().st_mtime_ns >= newest:
        return built
    cached = cache_dir() / f"{DOMAIN}-{language}-{sources_key(files)}.mo"
    if cached.is_file():
        return cached
    try:
        return compile_to(language, cached, locale_dir)
    except OSError:
        # A read-only cache: compile into a private temporary folder instead.
        return compile_to(language, Path(tempfile.mkdtemp(prefix="lettrage-mo-")) /
                          f"{DOMAIN}.mo", locale_dir)
