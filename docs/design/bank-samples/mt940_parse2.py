import sys, mt940, json
tr = mt940.parse(open(sys.argv[1], 'rb').read(), options=mt940.Options.all())
for t in tr:
    print(json.dumps({k: str(v) for k, v in t.data.items() if v is not None}, ensure_ascii=False))
