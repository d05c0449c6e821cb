"""Choosing the language: --lang, the config file, the environment, English."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.i18n import (
    N_,
    ConfigError,
    _,
    config_language,
    environment_language,
    get_language,
    ngettext,
    pgettext,
    resolve_language,
    save_language,
    set_language,
    using_language,
)


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    set_language("en")


def test_precedence(tmp_path: Path) -> None:
    env = {"LANG": "fr_FR.UTF-8"}
    assert resolve_language(None, tmp_path, {}) == "en"
    assert resolve_language(None, tmp_path, env) == "fr"
    assert resolve_language(None, tmp_path, {"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "en"
    assert resolve_language(None, tmp_path, {"LC_MESSAGES": "fr_CA", "LANG": "en_GB"}) == "fr"
    assert resolve_language(None, tmp_path, {"LANG": "de_DE.UTF-8"}) == "en"
    save_language(tmp_path, "en")
    assert resolve_language(None, tmp_path, env) == "en"
    assert resolve_language("fr", tmp_path, {}) == "fr"
    with pytest.raises(ConfigError, match="--lang de"):
        resolve_language("de", tmp_path, {})


def test_save_language_keeps_other_settings(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('theme = "dark"\n[profiles]\nlanguage = "x"\n')
    save_language(tmp_path, "fr")
    text = (tmp_path / "config.toml").read_text()
    assert config_language(tmp_path) == "fr"
    assert 'theme = "dark"' in text and 'language = "x"' in text
    save_language(tmp_path, "en")
    assert config_language(tmp_path) == "en"
    assert (tmp_path / "config.toml").read_text().count('language = "en"') == 1


def test_a_bad_config_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('language = "klingon"\n')
    with pytest.raises(ConfigError, match=r"config\.toml.*klingon"):
        config_language(tmp_path)
    (tmp_path / "config.toml").write_text("language = \n")
    with pytest.raises(ConfigError, match=r"config\.toml"):
        config_language(tmp_path)


def test_environment_unset() -> None:
    assert environment_language({}) is None


def test_translation_follows_the_language() -> None:
    message = "'{text}' is not an amount"
    lazy = N_(message)
    assert _(message) == message
    assert str(lazy) == message
    set_language("fr_FR.UTF-8")
    assert get_language() == "fr"
    assert _(message) == "« {text} » n'est pas un montant"
    assert str(lazy) == "« {text} » n'est pas un montant"
    assert _(lazy) == "« {text} » n'est pas un montant"
    assert _(lazy).format(text="x") == "« x » n'est pas un montant"
    assert f"<{lazy}>" == "<« {text} » n'est pas un montant>"
    # As a str its text is the language current when it was made (Textual reads it so;
    # tui.i18n.retranslate re-makes binding descriptions after a switch).
    assert lazy == message and N_(message) == "« {text} » n'est pas un montant"
    with using_language("en"):
        assert str(lazy) == message
    assert str(lazy).startswith("«")
    # Unknown strings come back unchanged, in every function.
    assert ngettext("{n} line", "{n} lines", 2) == "{n} lines"
    assert pgettext("verb", "Apply") == "Apply"
    with pytest.raises(ValueError, match="unsupported language"):
        set_language("de")
