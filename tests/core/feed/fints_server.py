"""A small FinTS 3.0 PIN/TAN bank on 127.0.0.1 for the tests (the network is closed here).

It speaks the real wire format: each HTTP POST carries a base64 FinTS message, parsed
with the ``fints`` library's own parser (``FinTS3Parser``); each answer is built from the
library's segment classes (HNHBK3, HNVSK3/HNVSD1 around the data, HNHBS1) and rendered
with them. The bank knows one customer with one SEPA account and answers:

* dialog initialisation (HKIDN/HKVVB, optionally HKTAN process 4) with BPD (HIBPA,
  HIPINS, HITANS 6, HISPAS, HICAZS or HIKAZS) and UPD (HIUPA, HIUPD), and 3920 with the
  allowed TAN methods;
* HKSYN with a new customer system id;
* HKSPA with the SEPA account;
* HKCAZ (camt) or, when ``camt`` is off, HKKAZ 7 (MT940) for the requested period;
* a TAN challenge for the statement fetch when ``tan_for_fetch`` is on (HITAN process 4,
  code 0030), answered by HKTAN process 2 with the right TAN;
* HKEND.

A wrong PIN is answered with 9340 ("PIN falsch"), as banks do. Every request is kept
in ``log`` (segment types) so a test can see what the client really sent.
"""

from __future__ import annotations

import base64
import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

from fints.formals import (
    KTI1,
    KTZ1,
    AllowedFormat,
    AllowedTransaction,
    BankIdentifier,
    BookedCamtStatements1,
    DescriptionRequired,
    GetSEPAAccountParameter1,
    InitializationMode,
    Language2,
    ParameterPinTan,
    ParameterTwostepTAN6,
    PrincipalAccountRequired,
    Response,
    SMSChargeAccountRequired,
    SupportedHBCIVersions2,
    SupportedLanguages2,
    TANTimeDialogAssociation,
    TaskHashAlgorithm,
    TransactionsTimeParameter1,
    TransactionTanRequired,
    TwoStepParameters6,
    UPDUsage,
)
from fints.message import FinTSInstituteMessage
from fints.parser import FinTS3Parser
from fints.security import PinTanDummyEncryptionMechanism
from fints.segments.accounts import HISPA1, HISPAS1
from fints.segments.auth import HIPINS1, HITAN6, HITANS6
from fints.segments.bank import HIBPA3, HIUPA4, HIUPD6
from fints.segments.base import FinTS3Segment
from fints.segments.dialog import HIRMG2, HIRMS2, HISYN4
from fints.segments.message import HNHBK3, HNHBS1
from fints.segments.statement import HICAZ1, HICAZS1, HIKAZ7

CAMT_FORMAT = "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"
# SecurityClass.NONE given as its number: the enum's str() is an int, which the field's
# parser refuses (fints 5.0.1)
NO_SIGNATURE_CLASS = 0
TAN_FUNCTION = "912"  # the bank's two-step method (a "pushTAN"-like one)


@dataclass
class FakeBank:
    blz: str
    user: str
    pin: str
    iban: str
    bic: str
    account_number: str
    owner: str = "Test GmbH"
    camt_documents: list[bytes] = field(default_factory=list)
    mt940: bytes = b""
    camt: bool = True  # offer HKCAZ; off: MT940 (HKKAZ) only
    tan_for_fetch: bool = False
    tan: str = "123456"
    challenge: str = "Bitte bestätigen Sie den Umsatzabruf mit TAN"
    log: list[list[str]] = field(default_factory=list)
    periods: list[tuple[datetime.date | None, datetime.date | None]] = field(
        default_factory=list)
    tans_received: list[str] = field(default_factory=list)
    _dialogs: int = 0
    _pending: dict[str, tuple[int, FinTS3Segment]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- the conversation ---------------------------------------------------------------

    def answer(self, raw: bytes) -> bytes:
        msg = FinTS3Parser().parse_message(raw)
        segs = [s for s in msg.find_segments()
                if s.header.type not in ("HNHBK", "HNVSK", "HNVSD", "HNHBS")]
        with self._lock:
            self.log.append([s.header.type for s in segs])
            head = msg.find_segment_first("HNHBK")
            dialog_id = str(head.dialog_id)
            if dialog_id == "0":
                self._dialogs += 1
                dialog_id = f"DLG{self._dialogs}"
            out = self._respond(segs, dialog_id)
        return self._render(out, dialog_id, int(head.message_number))

    def _respond(self, segs: list[FinTS3Segment], dialog_id: str) -> list[FinTS3Segment]:
        signature = next((s for s in segs if s.header.type == "HNSHA"), None)
        sent = signature.user_defined_signature if signature is not None else None
        out: list[FinTS3Segment] = []
        if sent is None or str(sent.pin) != self.pin:
            out.append(HIRMG2(responses=[Response("9800", "", "Dialog abgebrochen")]))
            out.append(_rms(2, "9340", "PIN falsch"))
            return out
        global_codes = [Response("0010", "", "Nachricht entgegengenommen")]
        types = [s.header.type for s in segs]
        if "HKIDN" in types:
            out += self._bank_parameters()
        for s in segs:
            kind = s.header.type
            n = s.header.number
            if kind == "HKVVB":
                out.append(_rms(n, "0020", "Informationen fehlerfrei entgegengenommen"))
                out.append(_rms(n, "3920", "Zugelassene TAN-Verfahren", "999", TAN_FUNCTION))
            elif kind == "HKSYN":
                out.append(_at(HISYN4(system_id="SYS-4711"), n))
                out.append(_rms(n, "0020", "Auftrag ausgeführt"))
            elif kind == "HKSPA":
                out.append(_at(HISPA1(accounts=[KTZ1(
                    is_sepa=True, iban=self.iban, bic=self.bic,
                    account_number=self.account_number, subaccount_number="",
                    bank_identifier=BankIdentifier("280", self.blz))]), n))
                out.append(_rms(n, "0020", "Auftrag ausgeführt"))
            elif kind in ("HKCAZ", "HKKAZ"):
                if self.tan_for_fetch and "HKTAN" in types:
                    ref = f"TASK{len(self._pending) + 1}"
                    self._pending[ref] = (n, s)
                    continue  # answered with the HKTAN below
                out += self._statements(s, n)
            elif kind == "HKTAN":
                out += self._tan(s, n, sent.tan, segs)
            elif kind == "HKEND":
                out.append(_rms(n, "0100", "Dialog beendet"))
        out.insert(0, HIRMG2(responses=global_codes))
        return out

    def _tan(self, s: Any, n: int, tan: Any, segs: list[FinTS3Segment]
             ) -> list[FinTS3Segment]:
        process = str(s.tan_process)
        if process == "4":
            task = next((ref for ref, (_n, cmd) in self._pending.items()
                         if any(cmd is x for x in segs)), None)
            if task is None:  # the strong authentication of the dialog itself: none asked
                return [_rms(n, "3076", "Keine starke Authentifizierung erforderlich")]
            return [_at(HITAN6(tan_process="4", task_reference=task,
                               challenge=self.challenge), n),
                    _rms(n, "0030", "Auftrag empfangen - Sicherheitsfreigabe erforderlich")]
        if process == "2":
            self.tans_received.append(str(tan or ""))
            ref = str(s.task_reference)
            if ref not in self._pending:
                return [_rms(n, "9210", "Auftragsreferenz unbekannt")]
            if str(tan or "") != self.tan:
                return [_rms(n, "9941", "TAN falsch")]
            cmd_n, cmd = self._pending.pop(ref)
            return [_at(HITAN6(tan_process="2", task_reference=ref), n),
                    *self._statements(cmd, cmd_n)]
        return [_rms(n, "9120", f"TAN-Prozess {process} nicht unterstützt")]

    def _statements(self, s: Any, n: int) -> list[FinTS3Segment]:
        self.periods.append((s.date_start, s.date_end))
        if s.header.type == "HKCAZ":
            if not self.camt_documents:
                return [_rms(n, "3010", "Keine Umsätze im Zeitraum")]
            return [_at(HICAZ1(account=KTI1(iban=self.iban, bic=self.bic),
                           camt_descriptor=CAMT_FORMAT,
                           statement_booked=BookedCamtStatements1(
                               camt_statements=list(self.camt_documents))), n),
                    _rms(n, "0020", "Auftrag ausgeführt")]
        if not self.mt940:
            return [_rms(n, "3010", "Keine Umsätze im Zeitraum")]
        return [_at(HIKAZ7(statement_booked=self.mt940), n),
                _rms(n, "0020", "Auftrag ausgeführt")]

    def _bank_parameters(self) -> list[FinTS3Segment]:
        bank = BankIdentifier("280", self.blz)
        tan_required = [TransactionTanRequired("HKSPA", False),
                        TransactionTanRequired("HKCAZ", self.tan_for_fetch),
                        TransactionTanRequired("HKKAZ", self.tan_for_fetch)]
        segs: list[FinTS3Segment] = [
            HIBPA3(bpd_version=7, bank_identifier=bank, bank_name="Testbank Lettrage",
                   number_tasks=3, supported_languages=SupportedLanguages2([Language2.DE]),
                   supported_hbci_version=SupportedHBCIVersions2(["300"])),
            HIPINS1(max_number_tasks=1, min_number_signatures=1,
                    security_class=NO_SIGNATURE_CLASS,
                    parameter=ParameterPinTan(min_pin_length=4, max_pin_length=20,
                                              max_tan_length=6,
                                              transaction_tans_required=tan_required)),
            HITANS6(max_number_tasks=1, min_number_signatures=1,
                    security_class=NO_SIGNATURE_CLASS,
                    parameter=ParameterTwostepTAN6(
                        onestep_method_allowed=False, multiple_tasks_allowed=False,
                        task_hash_algorithm=TaskHashAlgorithm.NONE,
                        twostep_parameters=[_two_step()])),
            HISPAS1(max_number_tasks=1, min_number_signatures=1,
                    security_class=NO_SIGNATURE_CLASS,
                    parameter=GetSEPAAccountParameter1(
                        single_account_query_allowed=True, national_account_allowed=False,
                        structured_purpose_allowed=False,
                        supported_sepa_formats=["sepade.pain.001.001.03.xsd"])),
        ]
        if self.camt:
            segs.append(HICAZS1(max_number_tasks=1, min_number_signatures=1,
                                security_class=NO_SIGNATURE_CLASS,
                                parameter=TransactionsTimeParameter1(
                                    storage_duration=360, entry_number_entries_allowed=False,
                                    all_accounts_allowed=False,
                                    supported_camt_formats=[CAMT_FORMAT])))
        else:
            # the library has no class for HIKAZS (it reads it by name from the BPD):
            # parsed from its wire form, 360 days kept, no count, not all accounts
            segs.append(_parsed("HIKAZS:1:7:4+1+1+0+360:N:N'"))
        allowed = [AllowedTransaction(t, 1) for t in ("HKSPA", "HKCAZ", "HKKAZ", "HKTAN")]
        segs += [
            HIUPA4(user_identifier=self.user, upd_version=3,
                   upd_usage=UPDUsage.UPD_CONCLUSIVE),
            HIUPD6(iban=self.iban, customer_id=self.user, account_type=1,
                   account_currency="EUR", name_account_owner_1=self.owner,
                   account_product_name="Girokonto", allowed_transactions=allowed),
        ]
        return segs

    def _render(self, segs: list[FinTS3Segment], dialog_id: str, number: int) -> bytes:
        message = FinTSInstituteMessage(segments=[])
        message += HNHBK3(0, 300, dialog_id, number)
        for s in segs:
            ref = getattr(s, "_lettrage_ref", None)
            message += s
            if ref is not None:
                s.header.reference = ref
        message += HNHBS1(number)
        # the dummy PIN/TAN "encryption" every bank puts around the data (HNVSK + HNVSD)
        holder = SimpleNamespace(client=SimpleNamespace(
            system_id="0", user_id=self.user,
            bank_identifier=BankIdentifier("280", self.blz)))
        message.dialog = holder
        PinTanDummyEncryptionMechanism(1).encrypt(message)
        message.segments[0].message_size = len(message.render_bytes())
        return message.render_bytes()


def _parsed(wire: str) -> FinTS3Segment:
    seg: FinTS3Segment = FinTS3Parser().parse_message(wire.encode("iso-8859-1")).segments[0]
    return seg


def _two_step() -> TwoStepParameters6:
    return TwoStepParameters6(
        security_function=TAN_FUNCTION, tan_process="2", tech_id="PushTAN",
        zka_id="", zka_version="", name="pushTAN", max_length_input=6,
        allowed_format=AllowedFormat.NUMERIC, text_return_value="TAN",
        max_length_return_value=2048, multiple_tans_allowed=False,
        tan_time_dialog_association=TANTimeDialogAssociation.NOT_ALLOWED,
        cancel_allowed=False,
        sms_charge_account_required=SMSChargeAccountRequired.MUST_NOT,
        principal_account_required=PrincipalAccountRequired.MUST_NOT,
        challenge_class_required=False, challenge_structured=False,
        initialization_mode=InitializationMode.CLEARTEXT_PIN_NO_TAN,
        description_required=DescriptionRequired.MUST_NOT,
        response_hhd_uc_required=False, supported_media_number=None)


def _at(seg: FinTS3Segment, ref: int) -> FinTS3Segment:
    """Mark ``seg`` as the answer to the request segment number ``ref``."""
    seg._lettrage_ref = ref  # type: ignore[attr-defined]
    return seg


def _rms(ref: int, code: str, text: str, *parameters: str) -> FinTS3Segment:
    return _at(HIRMS2(responses=[Response(code, "", text, list(parameters) or None)]), ref)


# --- the HTTP side ---------------------------------------------------------------------------


class FakeBankServer:
    """``FakeBank`` behind ``http://127.0.0.1:PORT/`` until ``close``."""

    def __init__(self, bank: FakeBank) -> None:
        self.bank = bank
        handler = _handler(bank.answer)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/fints"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name="fake-fints")
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _handler(answer: Callable[[bytes], bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            raw = base64.b64decode(self.rfile.read(size))
            body = base64.b64encode(answer(raw))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:  # quiet
            return

    return Handler
