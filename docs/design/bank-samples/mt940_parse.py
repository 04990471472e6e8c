import sys, mt940, json
opts = mt940.Options.all()
tr = mt940.parse(open(sys.argv[1], 'rb').read(), options=opts,
                 processors=dict(post_transaction_details=[mt940.processors.transaction_details_post_processor_with_space]))
print({k: str(v) for k, v in tr.data.items()})
for t in tr:
    print(json.dumps({k: str(v) for k, v in t.data.items() if v is not None}, ensure_ascii=False))
