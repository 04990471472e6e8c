import datetime
from decimal import Decimal
import mt940_writer as mt
d = datetime.date(2026, 12, 1)
ret = mt.Transaction(d, Decimal('-62.50'), mt.TransactionType.returned_item,
        'NONREF//BANKREF-0002\n/OCMT/EUR59,50//CHGS/EUR3,00/',   # narrative may carry the :61: 2nd line (subfield 9)
        mt.TransactionAdditionalInfo('109?00RUECKLASTSCHRIFT?109250?20EREF+E2E-RE-2026-00031?21MREF+M-0007'
            '?22CRED+DE98ZZZ09999999999?23COAM+3,00?24OAMT+59,50?25SVWZ+RE-2026-00031?30BYLADEM1001'
            '?31DE02120300000000202051?32ERIKA MUSTERMANN?34902'))
st = mt.Statement('STARTUMS', mt.Account('37040044/0532013000', ''), '00336/001',
                  mt.Balance(Decimal('1000.00'), d, 'EUR'), mt.Balance(Decimal('937.50'), d, 'EUR'), [ret])
open('return.sta', 'w').write(str(st).replace(' \n', '\n') + '\n-\n')
