"""Findings 6 and 7 of issue #13: ``lettrage serve`` behind a secret and an Origin
check, tested with a real WebSocket client against the real server; the database path
never reaches a shell."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.reliability.support import (
    ROOT,
    cli_args,
    company,
    env,
    run_cli,
)

COMPANY = "Quuxbooks"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, proc: subprocess.Popen[str], port: int, banner: list[str]) -> None:
        self.proc, self.port, self.banner = proc, port, banner
        opened = next(line for line in banner if line.startswith("Open: "))
        self.url = opened.removeprefix("Open: ").split()[0]
        self.token = self.url.split("token=", 1)[1] if "token=" in self.url else None
        self.base = f"http://127.0.0.1:{port}"


def _serve(tmp_path: Path, db: str, *extra: str,
           more_env: dict[str, str] | None = None) -> Served:
    port = _free_port()
    proc = subprocess.Popen(cli_args(db, "serve", "--port", str(port), *extra), cwd=tmp_path,
                            env={**env(tmp_path), **(more_env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    banner: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        banner.append(line.rstrip("\n"))
        if line.startswith("Press Ctrl+C"):
            break
    assert banner and banner[-1].startswith("Press Ctrl+C"), banner
    return Served(proc, port, banner)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A company in a folder with a space, in a file whose name holds a shell command."""
    folder = tmp_path / "my books"
    folder.mkdir()
    path = folder / "b.db; touch pwned"
    done = run_cli(tmp_path, str(path), "init", "--name", COMPANY)
    assert done.returncode == 0, done
    return path


@pytest.fixture
def served(tmp_path: Path, db_path: Path) -> Iterator[Served]:
    server = _serve(tmp_path, str(db_path))
    yield server
    server.proc.terminate()
    server.proc.wait(30)


async def _ws(server: Served, origin: str | None, token: str | None = None,
              cookies: bool = False) -> tuple[int, bytes]:
    """Open the app's WebSocket; (status, what the app drew) or (HTTP status, b'')."""
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        if cookies:
            async with http.get(server.url) as page:
                assert page.status == 200
        query = f"?token={token}&width=80&height=24" if token else "?width=80&height=24"
        try:
            ws = await http.ws_connect(f"{server.base}/ws{query}", headers=headers)
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status, b""
        drawn = b""
        try:
            while COMPANY.encode() not in drawn:
                msg = await asyncio.wait_for(ws.receive(), 60)
                if msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    data = msg.data
                    drawn += data if isinstance(data, bytes) else data.encode()
                else:
                    break
        finally:
            await ws.close()
        return 101, drawn


def test_no_secret_no_app(served: Served) -> None:
    async def run() -> None:
        async with aiohttp.ClientSession() as http:
            async with http.get(served.base + "/") as page:
                assert page.status == 401
            async with http.get(served.base + "/?token=wrong") as page:
                assert page.status == 401
        assert (await _ws(served, served.base))[0] == 401
        assert (await _ws(served, served.base, token="guess"))[0] == 401
    asyncio.run(run())


def test_another_origin_is_refused_even_with_the_token(served: Served) -> None:
    assert served.token
    for origin in ("http://evil.example", "null", None):
        assert asyncio.run(_ws(served, origin, token=served.token))[0] == 403


def test_the_secret_opens_the_app_and_the_db_path_stays_a_path(served: Served,
                                                                tmp_path: Path) -> None:
    status, drawn = asyncio.run(_ws(served, served.base, token=served.token))
    assert status == 101 and COMPANY.encode() in drawn
    status, drawn = asyncio.run(_ws(served, f"http://localhost:{served.port}", cookies=True))
    assert status == 101 and COMPANY.encode() in drawn  # the page's cookie is enough
    assert not (tmp_path / "pwned").exists()
    assert not (ROOT / "pwned").exists()
    banner = "\n".join(served.banner)
    assert "my books/b.db; touch pwned" in banner and "this machine only" in banner


def test_password_from_the_environment(tmp_path: Path, db_path: Path) -> None:
    server = _serve(tmp_path, str(db_path), more_env={"LETTRAGE_SERVE_PASSWORD": "pw-1"})
    try:
        assert server.token is None and "LETTRAGE_SERVE_PASSWORD" in "\n".join(server.banner)

        async def run() -> None:
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as http:
                async with http.post(server.base + "/login", data={"password": "nope"}) as r:
                    assert r.status == 401
                async with http.post(server.base + "/login", data={"password": "pw-1"}) as r:
                    assert r.status == 200  # followed to the app page
                ws = await http.ws_connect(f"{server.base}/ws?width=80&height=24",
                                           headers={"Origin": server.base})
                await ws.close()
        asyncio.run(run())
    finally:
        server.proc.terminate()
        server.proc.wait(30)


def test_public_address_needs_consent(tmp_path: Path, db_path: Path) -> None:
    done = run_cli(tmp_path, str(db_path), "serve", "--host", "0.0.0.0", "--port",
                   str(_free_port()), timeout=60)
    assert done.returncode == 1 and "Add --public" in done.stderr


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    done = run_cli(tmp_path, str(tmp_path / "nope.db"), "serve", timeout=60)
    assert done.returncode == 1 and "There is no company database" in done.stderr


def test_banner_never_shows_a_database_password(tmp_path: Path) -> None:
    url = company("postgresql", tmp_path)
    with_password = url.replace("postgres@", "postgres:s3cret-pw@")
    server = _serve(tmp_path, with_password)
    try:
        assert "s3cret-pw" not in "\n".join(server.banner)
        assert "***" in "\n".join(server.banner)
    finally:
        server.proc.terminate()
        server.proc.wait(30)
