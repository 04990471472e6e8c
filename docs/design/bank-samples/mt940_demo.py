import datetime
from decimal import Decimal
import mt940_writer as mt

account = mt.Account('DE89370400440532013000', '')          # prints ":25:<number> <sort code>"
d = datetime.date(2026, 12, 1)
txs = [
    mt.Transaction(d, Decimal('119.00'), mt.TransactionType.transfer, 'NONREF',
                   mt.TransactionAdditionalInfo('166?00GUTSCHR. UEBERWEISUNG?20EREF+RE-2026-00042?21SVWZ+RE-2026-00042 KD-1001?32MUSTER GMBH?31DE02120300000000202051')),
    mt.Transaction(d, Decimal('-59.50'), mt.TransactionType.returned_item, 'NONREF',
                   mt.TransactionAdditionalInfo('109?00RUECKLASTSCHRIFT?20EREF+E2E-20261101-7?21MREF+M-0007?22SVWZ+RE-2026-00031?23RUECKGABEGRUND AC04?31DE02120300000000202051?32ERIKA MUSTERMANN?34AC04')),
    mt.Transaction(d, Decimal('-3.00'), mt.TransactionType.charges, 'NONREF',
                   mt.TransactionAdditionalInfo('808?00ENTGELT RUECKLASTSCHRIFT?20RUECKLASTSCHRIFTGEBUEHR')),
]
st = mt.Statement('STARTUMS', account, '1/1',
                  mt.Balance(Decimal('1000.00'), d, 'EUR'),
                  mt.Balance(Decimal('1056.50'), d, 'EUR'), txs)
print(str(st))
