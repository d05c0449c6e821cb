"""Benchmark of the statement parsers on synthetic camt.053 and MT940 files.

Generates files with 5,000 and 50,000 entries in a temporary directory, parses
each in its own subprocess (so peak memory is per case) and prints ONE JSON object:
``{"cases": [{"format", "entries", "bytes", "seconds", "peak_rss_mb", "lines"}...]}``.

Run: ``.venv/bin/python bench/bench_statements.py``
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (5_000, 50_000)

_CAMT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
<BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2024-01-31T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>BENCH-1</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>2024-01-31T18:00:00</CreDtTm>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-01-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">2000.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-01-31</Dt></Dt></Bal>
"""

_CAMT_ENTRY = """<Ntry><NtryRef>{i}</NtryRef><Amt Ccy="EUR">{amount}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-01-{day:02d}</Dt></BookgDt>
<ValDt><Dt>2024-01-{day:02d}</Dt></ValDt>
<AcctSvcrRef>BANKREF{i:08d}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{i}</EndToEndId></Refs>
<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>Customer {i} GmbH</Nm><PstlAdr><StrtNm>Hauptstrasse</StrtNm>
<BldgNb>{i}</BldgNb><PstCd>10115</PstCd><TwnNm>Berlin</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr>
<DbtrAcct><Id><IBAN>DE02120300000000202051</IBAN></Id></DbtrAcct></RltdPties>
<RltdAgts><DbtrAgt><FinInstnId><BIC>BYLADEM1001</BIC></FinInstnId></DbtrAgt></RltdAgts>
<RmtInf><Ustrd>Invoice {i} thank you</Ustrd><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd>
</CdOrPrtry></Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>
</Ntry>
"""

_MT_ENTRY = (":61:2401{day:02d}01{day:02d}CR{amount},NTRFNONREF//REF{i:08d}\n"
             ":86:166?00GUTSCHRIFT?100399?20EREF+E2E-{i}?21SVWZ+Invoice {i} thank you"
             "?30BYLADEM1001?31DE02120300000000202051?32Customer {i} GmbH\n")


def make_camt(path: Path, entries: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(_CAMT_HEAD)
        for i in range(entries):
            out.write(_CAMT_ENTRY.format(i=i, amount=f"{10 + i % 977}.{i % 100:02d}",
                                         day=1 + i % 28))
        out.write("</Stmt></BkToCstmrStmt></Document>\n")


def make_mt940(path: Path, entries: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(":20:BENCH\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C240101EUR1000,00\n")
        for i in range(entries):
            out.write(_MT_ENTRY.format(i=i, amount=10 + i % 977, day=1 + i % 28))
        out.write(":62F:C240131EUR2000,00\n-\n")


def run_case(path: str) -> None:
    """Child process: parse one file, print seconds, peak RSS and line count."""
    sys.path.insert(0, str(ROOT))
    from core.statements import parse_file

    start = time.perf_counter()
    parsed = parse_file(path)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": round(seconds, 3), "peak_rss_mb": round(peak_kb / 1024, 1),
                      "lines": parsed.line_count}))


def main() -> None:
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        makers = (("camt.053", make_camt, ".xml"), ("mt940", make_mt940, ".sta"))
        for fmt, maker, suffix in makers:
            for size in SIZES:
                path = Path(tmp) / f"bench_{size}{suffix}"
                maker(path, size)
                result = subprocess.run([sys.executable, __file__, "--case", str(path)],
                                        capture_output=True, text=True, check=True)
                case = {"format": fmt, "entries": size, "bytes": path.stat().st_size}
                case.update(json.loads(result.stdout))
                cases.append(case)
    print(json.dumps({"benchmark": "statements", "cases": cases}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run_case(sys.argv[2])
    else:
        main()
