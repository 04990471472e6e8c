import datetime, sys
from sepaxml import SepaDD
from lxml import etree
schema = sys.argv[1] if len(sys.argv) > 1 else "pain.008.001.08"
config = {"name": "Beispiel GmbH", "IBAN": "DE89370400440532013000", "BIC": "COBADEFFXXX",
          "batch": True, "creditor_id": "DE98ZZZ09999999999", "currency": "EUR"}
sepa = SepaDD(config, schema=schema, clean=True)
for i, (seq, amt) in enumerate([("FRST", 11900), ("RCUR", 5950)]):
    sepa.add_payment({"name": "Erika Mustermann", "IBAN": "DE02120300000000202051", "BIC": "BYLADEM1001",
        "amount": amt, "type": seq, "collection_date": datetime.date(2026, 12, 10),
        "mandate_id": f"M-000{i+7}", "mandate_date": datetime.date(2026, 11, 1),
        "description": f"RE-2026-0003{i}", "endtoend_id": f"E2E-RE-2026-0003{i}"})
out = sepa.export(validate=True, pretty_print=True)
xsd = etree.XMLSchema(etree.parse(f"/tmp/pkgs/site/sepaxml/schemas/{schema}.xsd"))
doc = etree.fromstring(out)
print("lxml valid:", xsd.validate(doc), xsd.error_log.last_error)
sys.stdout.write(out.decode())
