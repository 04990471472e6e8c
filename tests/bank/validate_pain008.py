"""Check a SEPA direct debit file against the ISO pain.008.001.08 XSD that PyPI sepaxml ships
(the venv of .ci/ensure-bank), offline.

    python validate_pain008.py FILE.xml

Prints each schema error and exits 1 when the file is not valid; prints "valid" otherwise. The
XSD is the generic ISO one, not the DK GBIC subset: SEPA rules (character set, id lengths, the
creditor id) are for the caller's own asserts.
"""
import importlib.util
import pathlib
import sys

from lxml import etree


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: validate_pain008.py FILE.xml")
    # Located without importing sepaxml: only its schemas/ folder is used.
    package = pathlib.Path(importlib.util.find_spec("sepaxml").submodule_search_locations[0])
    schema = etree.XMLSchema(etree.parse(str(package / "schemas" / "pain.008.001.08.xsd")))
    try:
        doc = etree.parse(sys.argv[1])
    except (OSError, etree.XMLSyntaxError) as e:
        print(f"{sys.argv[1]}: {e}")
        sys.exit(1)
    if not schema.validate(doc):
        for error in schema.error_log:
            print(f"{sys.argv[1]}:{error.line}: {error.message}")
        sys.exit(1)
    print("valid")


if __name__ == "__main__":
    main()
