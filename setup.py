"""Build hook: compile the gettext catalogs (``.po`` -> ``.mo``) into the built package,
so a wheel or ``pip install .`` ships them. Everything else is in pyproject.toml."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        # Loaded by path: Lettrage itself is not importable while it is being built.
        spec = importlib.util.spec_from_file_location(
            "_lettrage_catalogs", HERE / "core" / "i18n" / "catalogs.py")
        assert spec is not None and spec.loader is not None
        catalogs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogs)
        source = HERE / "core" / "i18n" / "locale"
        target = Path(self.build_lib) / "core" / "i18n" / "locale"
        for path in catalogs.compile_all(target, source):
            self.announce(f"compiled {path}", level=2)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
