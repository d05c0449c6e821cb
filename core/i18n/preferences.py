"""Which language a user gets: ``--lang``, then ``language`` in the user's config file
(``config.toml`` in the config directory), then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``;
English by default. The config directory is passed in (core does not know the paths)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from core.i18n.translate import DEFAULT_LANGUAGE, LANGUAGES, _, normalize

CONFIG_FILE = "config.toml"
ENV_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
_LANGUAGE_LINE = re.compile(r"^\s*language\s*=.*$", re.MULTILINE)


class ConfigError(ValueError):
    """The user's config file cannot be read; the message names the file."""


def config_language(config_dir: Path | None) -> str | None:
    """``language`` from ``config_dir/config.toml`` (None when absent)."""
    if config_dir is None:
        return None
    path = config_dir / CONFIG_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    value = data.get("language")
    if value is None:
        return None
    code = normalize(str(value))
    if code is None:
        raise ConfigError(_("{path}: language = {value} is not one of {languages}").format(
            path=path, value=repr(value), languages=", ".join(sorted(LANGUAGES))))
    return code


def environment_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The first of LC_ALL, LC_MESSAGES, LANG that is set, as POSIX reads them (``C`` and
    ``POSIX`` mean English); None when none is set."""
    env = os.environ if environ is None else environ
    for name in ENV_VARIABLES:
        value = env.get(name)
        if value:
            if value.split(".")[0] in ("C", "POSIX"):
                return DEFAULT_LANGUAGE
            return normalize(value) or DEFAULT_LANGUAGE
    return None


def resolve_language(cli: str | None = None, config_dir: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> str:
    """The user's language by precedence: ``--lang``, config, environment, English."""
    if cli:
        code = normalize(cli)
        if code is None:
            raise ConfigError(_("--lang {value}: choose {languages}").format(
                value=cli, languages=" | ".join(sorted(LANGUAGES))))
        return code
    return (config_language(config_dir) or environment_language(environ)
            or DEFAULT_LANGUAGE)


def save_language(config_dir: Path, language: str) -> Path:
    """Remember ``language`` in the user's config file, keeping its other settings."""
    code = normalize(language)
    if code is None:
        raise ConfigError(_("unsupported language {value}").format(value=repr(language)))
    path = config_dir / CONFIG_FILE
    line = f'language = "{code}"'
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if _LANGUAGE_LINE.search(text.split("\n[", 1)[0]):
        head, sep, tail = text.partition("\n[")
        text = _LANGUAGE_LINE.sub(line, head, count=1) + sep + tail
    else:
        text = line + "\n" + text
    config_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
