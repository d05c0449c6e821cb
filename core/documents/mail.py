"""Sending documents by e-mail through SMTP.

The SMTP settings come from the environment (``LETTRAGE_SMTP_HOST``, ``_PORT``,
``_STARTTLS``, ``_SSL``, ``_USER``, ``_PASSWORD``, ``_FROM``) or from a TOML file
(``[smtp]`` table with the same names in lower case), the environment winning; never
from the database, so a copied database carries no password.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from core.i18n import N_
from core.kernel.errors import LettrageError

ENV_PREFIX = "LETTRAGE_SMTP_"
TIMEOUT = 30


class MailError(LettrageError):
    """A document could not be sent; the message says where it failed."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    user: str = ""
    password: str = ""
    sender: str = ""

    def describe(self) -> str:
        mode = "SSL" if self.ssl else "STARTTLS" if self.starttls else "plain"
        return f"{self.host}:{self.port} ({mode}{', as ' + self.user if self.user else ''})"


def _flag(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def load_settings(config_file: Path | None = None,
                  env: Mapping[str, str] | None = None) -> SmtpSettings:
    """The SMTP settings from ``config_file`` (if it exists) overridden by ``env``."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    if config_file is not None and config_file.exists():
        try:
            values.update(tomllib.loads(config_file.read_text("utf-8")).get("smtp", {}))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise MailError(N_("{config_file}: cannot read the SMTP settings ({exc})"),
                            config_file=config_file, exc=exc) from None
    for key in ("host", "port", "starttls", "ssl", "user", "password", "from"):
        if ENV_PREFIX + key.upper() in env:
            values[key] = env[ENV_PREFIX + key.upper()]
    host = str(values.get("host", "")).strip()
    if not host:
        if config_file:
            raise MailError(N_("No SMTP server is set up: set {ENV_PREFIX}HOST (and _PORT, "
                               "_STARTTLS, _USER, _PASSWORD, _FROM) or write {file}"),
                            ENV_PREFIX=ENV_PREFIX, file=str(config_file))
        raise MailError(
            N_(
                "No SMTP server is set up: set {ENV_PREFIX}HOST (and _PORT, "
                "_STARTTLS, _USER, _PASSWORD, _FROM){where}"
            ),
            ENV_PREFIX=ENV_PREFIX,
            where="",
        )
    try:
        port = int(str(values.get("port", 587)))
    except ValueError:
        raise MailError(N_("SMTP port '{get}' is not a number"), get=values.get('port')) from None
    return SmtpSettings(host=host, port=port, starttls=_flag(values.get("starttls", "true")),
                        ssl=_flag(values.get("ssl", "false")), user=str(values.get("user", "")),
                        password=str(values.get("password", "")),
                        sender=str(values.get("from", "")))


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str = "application/pdf"


def build_message(sender: str, to: str, subject: str, body: str,
                  attachments: Sequence[Attachment] = ()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "lettrage.local")
    msg.set_content(body)
    for a in attachments:
        main, _, sub = a.mime.partition("/")
        msg.add_attachment(a.content, maintype=main, subtype=sub or "octet-stream",
                           filename=a.filename)
    return msg


def send(settings: SmtpSettings, to: str, subject: str, body: str,
         attachments: Sequence[Attachment] = ()) -> None:
    """Send one message; any SMTP or network failure becomes a ``MailError``."""
    if not to or "@" not in to:
        raise MailError(N_("'{to}' is not an e-mail address"), to=to)
    sender = settings.sender or settings.user or f"lettrage@{settings.host}"
    msg = build_message(sender, to, subject, body, attachments)
    try:
        if settings.ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=TIMEOUT,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with client:
            if settings.starttls and not settings.ssl:
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                client.login(settings.user, settings.password)
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(N_("Cannot send to {to} through {describe}: {exc}"), to=to,
                        describe=settings.describe(), exc=exc) from None
