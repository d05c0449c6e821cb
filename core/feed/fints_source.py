"""FinTS (HBCI 3.0 PIN/TAN, German banks) as a statement source, with python-fints.

``FinTSSource.fetch`` opens one dialog with the bank, finds the SEPA account by its
IBAN and fetches the booked statements of the period: camt (HKCAZ, one ``.xml`` file
per camt document the bank returns) or, when the bank does not offer camt, MT940
(HKKAZ, one ``.sta`` file). When the bank asks for a TAN (for the dialog or for the
fetch), ``tan_prompt`` is called with the bank's challenge text and its answer is sent
back; for a decoupled method (confirm in the banking app) the answer may be empty.

The PIN comes from ``LETTRAGE_FINTS_PIN`` or from ``pin_prompt``; it is never kept:
``state`` (the client's bank and user parameters and system id, to avoid a new
synchronisation each time) holds no PIN.

MT940: python-fints exposes camt as raw documents (``get_transactions_xml``) but MT940
only already parsed (``get_transactions``). To hand the untouched MT940 text to the
statement import, the MT940 path uses the library's own fetch helper
(``_find_highest_supported_command`` / ``_fetch_with_touchdowns``), which is not public
API: pinned by the tests against the fake bank, to re-check on a python-fints upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fints.client import FinTS3PinTanClient, NeedTANResponse
from fints.exceptions import (
    FinTSClientPINError,
    FinTSConnectionError,
    FinTSError,
    FinTSUnsupportedOperation,
)
from fints.segments.statement import HKKAZ5, HKKAZ6, HKKAZ7

from core.feed.sources import FetchedFile
from core.i18n import N_
from core.kernel.errors import LettrageError, Text

PIN_ENV = "LETTRAGE_FINTS_PIN"
PRODUCT_ID_ENV = "LETTRAGE_FINTS_PRODUCT_ID"
MAX_TAN_ROUNDS = 5  # decoupled methods answer "not yet confirmed" until the app says yes

PinPrompt = Callable[[], str]
TanPrompt = Callable[[str], str]


class FinTSFetchError(LettrageError):
    """The bank connection failed; the message says what and where (never the PIN)."""


@dataclass(frozen=True)
class FinTSSettings:
    """One bank login for one account (no secret here)."""

    blz: str
    user_id: str
    server_url: str
    product_id: str
    iban: str
    customer_id: str = ""

    def where(self) -> Text:
        return Text(N_("user {user} at bank {blz} ({url})"), user=self.user_id, blz=self.blz,
                    url=self.server_url)


def resolve_pin(pin_prompt: PinPrompt | None) -> str:
    """The PIN from the environment (cron) or asked for; never stored."""
    pin = os.environ.get(PIN_ENV, "")
    if not pin and pin_prompt is not None:
        pin = pin_prompt()
    if not pin:
        raise FinTSFetchError(
            N_(
                "No PIN: set {PIN_ENV} (e.g. from a protected environment "
                "file) or run the fetch in a terminal to be asked for it"
            ),
            PIN_ENV=PIN_ENV,
        )
    return pin


@dataclass
class FinTSSource:
    """A ``StatementSource`` for one account reached through FinTS PIN/TAN."""

    settings: FinTSSettings
    pin_prompt: PinPrompt | None = None
    tan_prompt: TanPrompt | None = None
    state: bytes | None = None  # client.deconstruct() of the last run, no PIN inside
    format: str = ""  # after a fetch: "camt" or "mt940"
    _errors: list[str] = field(default_factory=list)

    def fetch(self, since: date, until: date) -> list[FetchedFile]:
        if since > until:
            raise FinTSFetchError(N_("The period {since} to {until} ends before it starts"),
                                  since=since, until=until)
        s = self.settings
        client = self._client(resolve_pin(self.pin_prompt))
        self._errors = []
        client.add_response_callback(self._on_response)
        try:
            with client:
                if client.init_tan_response is not None:
                    self._answer(client, client.init_tan_response)
                accounts = self._answer(client, client.get_sepa_accounts())
                account = next((a for a in accounts
                                if a.iban.replace(" ", "") == s.iban.replace(" ", "")), None)
                if account is None:
                    known = ", ".join(a.iban for a in accounts) or "none"
                    raise FinTSFetchError(
                        N_("The bank has no account {iban} for {where} (accounts: {known})"),
                        iban=s.iban,
                        where=s.where(),
                        known=known,
                    )
                files = self._statements(client, account, since, until)
            self._raise_bank_errors()
        except FinTSClientPINError:
            raise FinTSFetchError(N_("The bank refused the PIN for {where}; check it "
                                     "before trying again (banks lock the access after a "
                                     "few wrong PINs)"), where=s.where()) from None
        except FinTSConnectionError as exc:
            raise FinTSFetchError(N_("Cannot reach the bank for {where}: {exc}"), where=s.where(),
                                  exc=exc) from None
        except FinTSError as exc:
            raise FinTSFetchError(N_("The bank answered with an error for {where}: {exc}"),
                                  where=s.where(), exc=exc) from None
        self.state = client.deconstruct(including_private=True)
        return files

    # --- steps ----------------------------------------------------------------------------

    def _client(self, pin: str) -> FinTS3PinTanClient:
        s = self.settings
        try:
            return FinTS3PinTanClient(s.blz, s.user_id, pin, s.server_url,
                                      customer_id=s.customer_id or None,
                                      product_id=s.product_id, from_data=self.state)
        except (FinTSError, ValueError, TypeError) as exc:
            raise FinTSFetchError(N_("Cannot set up the FinTS client for {where}: {exc}"),
                                  where=s.where(), exc=exc) from None

    def _answer(self, client: FinTS3PinTanClient, response: Any) -> Any:
        """Answer TAN challenges until the bank returns the result."""
        rounds = 0
        while isinstance(response, NeedTANResponse):
            rounds += 1
            if rounds > MAX_TAN_ROUNDS:
                raise FinTSFetchError(
                    N_("The bank still asks for a TAN after {MAX_TAN_ROUNDS} answers ({where})"),
                    MAX_TAN_ROUNDS=MAX_TAN_ROUNDS,
                    where=self.settings.where(),
                )
            if self.tan_prompt is None:
                raise FinTSFetchError(N_("The bank asks for a TAN ({where}); run the fetch "
                                         "in a terminal to enter it"), where=self.settings.where())
            challenge = str(response.challenge or "")
            if response.decoupled:
                challenge = challenge or "Confirm in your banking app, then press Enter"
            tan = self.tan_prompt(challenge).strip()
            response = client.send_tan(response, tan)
            self._raise_bank_errors()
        return response

    def _statements(self, client: FinTS3PinTanClient, account: Any, since: date,
                    until: date) -> list[FetchedFile]:
        stem = f"fints-{account.iban}-{since:%Y%m%d}-{until:%Y%m%d}"
        if client.bpd.find_segment_first("HICAZS") is not None:
            self.format = "camt"
            result = self._answer(client, client.get_transactions_xml(account, since, until))
            booked = [bytes(d) for d in result[0] if d]
            return [FetchedFile(f"{stem}-{n}.xml", d) for n, d in enumerate(booked, 1)]
        self.format = "mt940"
        text = self._mt940(client, account, since, until)
        return [FetchedFile(f"{stem}-1.sta", text)] if text.strip() else []

    def _mt940(self, client: FinTS3PinTanClient, account: Any, since: date,
               until: date) -> bytes:
        try:
            hkkaz = client._find_highest_supported_command(HKKAZ5, HKKAZ6, HKKAZ7)
        except FinTSUnsupportedOperation:
            raise FinTSFetchError(
                N_("The bank offers neither camt (HKCAZ) nor MT940 (HKKAZ) statements for {where}"),
                where=self.settings.where(),
            ) from None
        kti = hkkaz._fields["account"].type

        def segment(touchdown: str | None) -> Any:
            return hkkaz(account=kti.from_sepa_account(account), all_accounts=False,
                         date_start=since, date_end=until, touchdown_point=touchdown)

        def raw(responses: list[Any]) -> bytes:
            return b"".join(bytes(r.statement_booked) for r in responses
                            if r.statement_booked)

        with client._get_dialog() as dialog:
            result = client._fetch_with_touchdowns(dialog, segment, raw, "HIKAZ")
        data: bytes = self._answer(client, result)
        return data

    # --- the bank's error answers ---------------------------------------------------------

    def _on_response(self, segment: Any, response: Any) -> None:
        code = str(getattr(response, "code", ""))
        if code.startswith("9"):
            self._errors.append(f"{code} {getattr(response, 'text', '')}".strip())

    def _raise_bank_errors(self) -> None:
        if self._errors:
            errors, self._errors = "; ".join(self._errors), []
            raise FinTSFetchError(N_("The bank refused the request for {where}: {errors}"),
                                  where=self.settings.where(), errors=errors)
