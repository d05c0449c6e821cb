"""``lettrage serve``: the app in a browser, behind a secret and an Origin check.

textual-serve runs the app in a subprocess per WebSocket and has no login. This server
(a subclass of textual-serve's aiohttp ``Server``) adds one:

* a secret: by default a random token printed in the URL at start; or, when
  ``LETTRAGE_SERVE_PASSWORD`` is set, that password typed into a login page. A page
  opened with the token (or after the login) gets a session cookie (HttpOnly,
  SameSite=Strict); the WebSocket that drives the app needs the cookie or the token.
  Secrets are compared with ``hmac.compare_digest`` (constant time).
* the WebSocket's ``Origin`` must be the served address itself, so a page of another
  site open in the clerk's browser cannot drive the app;
* binding to an address other than loopback needs ``--public`` (explicit consent);
* the app's command has no user input in it: the database URL reaches the subprocess
  in the environment (``LETTRAGE_DATABASE_URL``), never pasted into a shell line, and
  the banner shows it without its password.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
import secrets
import shlex
import sys
from html import escape
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

from core.i18n import N_, _, get_language
from core.kernel.errors import LettrageError

PAGE_TEMPLATES = Path(__file__).resolve().parent / "serve_page"
PASSWORD_ENV = "LETTRAGE_SERVE_PASSWORD"
DATABASE_ENV = "LETTRAGE_DATABASE_URL"
COOKIE = "lettrage_session"

LOGIN_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>Lettrage</title></head><body style="font-family: sans-serif; margin: 4em">
<h1>Lettrage</h1><form method="post" action="/login"><p>{message}</p>
<label>{password} <input type="password" name="password" autofocus></label>
<button type="submit">{open}</button></form></body></html>"""
# The words of textual-serve's page (serve_page/app_index.html, kept as upstream's):
# replaced in the page served, in the language of whoever started ``lettrage serve``.
PAGE_WORDS = (('<html>', '<html lang="{lang}">'),
              ('id="start">Start<', 'id="start">{start}<'),
              ('>Session ended.<', '>{ended}<'),
              ('>Restart<', '>{restart}<'))


def login_page(message: str = "") -> str:
    return LOGIN_PAGE.format(lang=get_language(), message=escape(message),
                             password=escape(_("Password")), open=escape(_("Open")))


def translate_page(page: str) -> str:
    """textual-serve's page with its few words in the current language."""
    words = {"lang": get_language(), "start": escape(_("Start")),
             "ended": escape(_("Session ended.")), "restart": escape(_("Restart"))}
    for upstream, ours in PAGE_WORDS:
        page = page.replace(upstream, ours.format(**words), 1)
    return page


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command() -> str:
    """The shell line textual-serve runs: this Python and ``-m tui``, each quoted.
    Nothing a user typed is in it (the database travels in the environment)."""
    return f"{shlex.quote(sys.executable)} -m tui"


def _same(given: str | None, secret: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"),
                                                     secret.encode("utf-8"))


class GuardedServer(Server):
    """textual-serve's server with a secret, a session cookie and an Origin check."""

    def __init__(self, host: str, port: int, *, token: str | None, password: str | None,
                 banner: list[str], public_url: str | None = None,
                 public: bool = False) -> None:
        super().__init__(app_command(), host=host, port=port, title="Lettrage",
                         public_url=public_url)
        self.templates_path = PAGE_TEMPLATES  # fonts from this server, not a font service
        if not token and not password:
            raise LettrageError(N_("lettrage serve needs a secret (a token or {variable})"),
                                variable=PASSWORD_ENV)
        self.token = token
        self.password = password
        self.session = secrets.token_urlsafe(32)
        self.banner = banner
        self.public = public

    # --- who may in -------------------------------------------------------------------

    def _has_session(self, request: web.Request) -> bool:
        return _same(request.cookies.get(COOKIE), self.session) or (
            self.token is not None and _same(request.query.get("token"), self.token))

    def _origin_ok(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return False
        allowed = {self.public_url.rstrip("/")}
        allowed |= {f"http://{name}:{self.port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        if self.public:  # reached by a name this server cannot know: its own Host header
            allowed |= {f"{scheme}://{request.host}" for scheme in ("http", "https")}
        return origin.rstrip("/") in allowed

    def _grant(self, response: web.StreamResponse) -> None:
        response.set_cookie(COOKIE, self.session, httponly=True, samesite="Strict",
                            path="/")

    async def handle_index(self, request: web.Request) -> Any:  # type: ignore[override]
        if not self._has_session(request):
            if self.password:
                return web.Response(text=login_page(), content_type="text/html", status=401)
            raise web.HTTPUnauthorized(text=_("Open the address printed by 'lettrage serve' "
                                              "(it holds the access token)."))
        response = await super().handle_index(request)
        if isinstance(response, web.Response) and response.text is not None:
            response.text = translate_page(response.text)
        self._grant(response)
        return response

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        given = form.get("password")
        if self.password and isinstance(given, str) and _same(given, self.password):
            response = web.Response(status=303, headers={"Location": "/"})
            self._grant(response)
            return response
        return web.Response(text=login_page(_("Wrong password.")), content_type="text/html",
                            status=401)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self._origin_ok(request):
            raise web.HTTPForbidden(text=_("WebSocket from another origin refused"))
        if not self._has_session(request):
            raise web.HTTPUnauthorized(text=_("WebSocket without the access secret refused"))
        return await super().handle_websocket(request)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_post("/login", self.handle_login)
        return app

    async def on_startup(self, app: web.Application) -> None:
        # aiohttp calls this before it binds the port: print once it accepts connections,
        # so whoever reads the address can use it at once
        self._banner_task = asyncio.create_task(self._print_when_listening())

    async def _print_when_listening(self) -> None:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host.strip("[]")
        host = "::1" if host == "::" else host
        for _attempt in range(600):
            try:
                _reader, writer = await asyncio.open_connection(host, self.port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        for line in self.banner:
            print(line, flush=True)


def serve_app(host: str, port: int, db_url: str | None, db_label: str, user: str,
              public: bool) -> None:
    """Serve the app; refuses a non-loopback ``host`` unless ``public``."""
    if not is_loopback(host) and not public:
        raise LettrageError(N_("Refusing to serve on {host}: that address is reachable from "
                               "other machines. Add --public to do it on purpose (use "
                               "{variable} or the printed token, and HTTPS in front)"),
                            host=host, variable=PASSWORD_ENV)
    password = os.environ.get(PASSWORD_ENV) or None
    token = None if password else secrets.token_urlsafe(24)
    if db_url:
        os.environ[DATABASE_ENV] = db_url  # inherited by the app subprocess
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    reach = (_("ANY MACHINE THAT CAN REACH {host}").format(host=host) if public
             else _("this machine only"))
    banner = [_("Serving the company at {db}").format(db=db_label),
              _("  to {reach}, as the system user {user}: whoever opens it can do all the app "
                "does.").format(reach=reach, user=user),
              _("Open: {address}").format(address=f"{address}?token={token}") if token else
              _("Open: {address} and type the password from {variable}").format(
                  address=address, variable=PASSWORD_ENV),
              _("Press Ctrl+C to stop.")]
    GuardedServer(host, port, token=token, password=password, banner=banner,
                  public_url=address.rstrip("/"), public=public).serve()
