# Crafted compiled releases that exercise every branch Cardinal's indicators take.
import json, random
rnd = random.Random(20240611)
T = [f"T{i}" for i in range(1, 31)]
NUMERIC = {"T7": 7, "T8": 8}          # numeric ids: prepare makes them strings
B = [f"B{i}" for i in range(1, 7)]
P = [f"P{i}" for i in range(1, 5)]
def tid(t):
    return NUMERIC.get(t, t)
def date(base_day, hour=10, fmt=None):
    d = f"2023-{(base_day // 28) % 12 + 1:02d}-{base_day % 28 + 1:02d}"
    fmt = fmt or rnd.choice(["Z", "Z", "Z", "+08:00", "-05:00", "space", "frac", "naive", "dateonly", "minus", "bad", "lower"])
    t = f"{hour:02d}:00:00"
    return {"Z": f"{d}T{t}Z", "+08:00": f"{d}T{t}+08:00", "-05:00": f"{d}T{t}-05:00",
            "space": f"{d} {t}Z", "frac": f"{d}T{t}.123456789123Z", "naive": f"{d}T{t}",
            "dateonly": d, "minus": f"{d}T{t}\u221205:00", "bad": f"{d}T{t}+0800",
            "lower": f"{d}t{t}z"}[fmt]
out = []
for n in range(1, 121):
    r = {"ocid": f"ocds-test-{n:03d}", "id": str(n), "date": "2023-06-01T00:00:00Z", "tag": ["compiled"]}
    if n % 97 == 0:
        r["ocid"] = n  # not a string: skipped
    tender = {"id": str(n), "title": f"Project {n}"}
    tender["procurementMethod"] = rnd.choice(["open", "open", "open", "selective", "limited", "direct", None])
    if tender["procurementMethod"] is None: del tender["procurementMethod"]
    pmd = rnd.choice(["A", "A", "B", "Emergency", "Random Selection", None])
    if pmd: tender["procurementMethodDetails"] = pmd
    st = rnd.choices(["active", "complete", "cancelled", None], [70, 20, 5, 5])[0]
    if st: tender["status"] = st
    start = rnd.randrange(0, 300)
    length = rnd.choice([1, 5, 9, 10, 14, 14, 15, 15, 16, 20, 30, 45, -1])
    hour_end = rnd.choice([9, 10, 11])
    end_fmt = rnd.choice(["Z", "Z", "+08:00", "-05:00", "space", "frac"])
    tender["tenderPeriod"] = {"startDate": date(start, 10), "endDate": date(start + length, hour_end, end_fmt)}
    if n % 23 == 0: del tender["tenderPeriod"]["startDate"]
    if n % 31 == 0: tender["tenderPeriod"]["startDate"] = "2023-02-28T23:59:60Z"  # leap second
    k = rnd.choices([0, 1, 2, 3, 4, 5, 6], [8, 15, 20, 20, 15, 12, 10])[0]
    bidders = rnd.sample(T[:12] if n % 3 else T, k) if k else []
    not_ = rnd.choice([None, "count", "count", "float", "string"])
    if not_ == "count": tender["numberOfTenderers"] = len(bidders)
    elif not_ == "float": tender["numberOfTenderers"] = float(len(bidders))
    elif not_ == "string": tender["numberOfTenderers"] = str(len(bidders))
    if rnd.random() < 0.8:
        tender["procuringEntity"] = {"id": rnd.choice(P), "name": "PE"}
    r["tender"] = tender
    if rnd.random() < 0.9:
        b = rnd.choice(B)
        r["buyer"] = {"id": 99 if b == "B6" else b, "name": "Buyer " + b}
    cur_main = "USD" if rnd.random() < 0.93 else "EUR"
    base = rnd.choice([1000, 5000, 12345.67, 100000])
    details = []
    amounts = {}
    for i, t in enumerate(bidders):
        status = rnd.choices(["valid", "disqualified", "pending", "invited", "withdrawn", None, "Valid"],
                             [60, 18, 5, 4, 4, 4, 2])[0]
        bid = {"id": f"{n}-{i}"}
        if status: bid["status"] = status
        spread = rnd.choice([0.0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.5])
        amt = round(base * (1 + spread + rnd.random() * 0.01 * i), 2)
        if rnd.random() < 0.06 and amounts:
            amt = rnd.choice(list(amounts.values()))  # identical price (R028)
        if rnd.random() < 0.05: amt = int(amt)
        amounts[t] = amt
        cur = cur_main if rnd.random() < 0.95 else rnd.choice(["EUR", None])
        value = {"amount": amt}
        if cur: value["currency"] = cur
        if rnd.random() < 0.03: value["amount"] = str(amt)
        if rnd.random() < 0.97: bid["value"] = value
        ts = [{"id": tid(t), "name": "Tenderer " + t}]
        if rnd.random() < 0.05: ts.append({"id": rnd.choice(T), "name": "partner"})
        bid["tenderers"] = ts[0] if rnd.random() < 0.05 else ts
        if rnd.random() < 0.7:
            bid["date"] = date(start + length + rnd.choice([-3, -1, 0, 0, 1]), rnd.choice([8, 9, 10, 11]), "Z")
        details.append(bid)
    if rnd.random() < 0.2 and len(bidders) >= 2:
        # same tenderer bids twice
        details.append(dict(details[0], id=f"{n}-dup"))
    if details or rnd.random() < 0.1:
        r["bids"] = {"details": details}
    awards = []
    if bidders and rnd.random() < 0.85:
        valid = [t for t, d in zip(bidders, details) if d.get("status") == "valid"]
        pool = valid or bidders
        if rnd.random() < 0.7:
            winner = min(pool, key=lambda t: amounts[t])
        else:
            winner = rnd.choice(pool)
        aw = {"id": 1 if rnd.random() < 0.1 else f"{n}-a1",
              "status": rnd.choices(["active", "pending", "cancelled", "unsuccessful", None], [80, 6, 5, 4, 5])[0],
              "suppliers": [{"id": tid(winner), "name": "Tenderer " + winner}],
              "value": {"amount": amounts[winner], "currency": cur_main}}
        if aw["status"] is None: del aw["status"]
        if rnd.random() < 0.05: aw["suppliers"].append({"id": rnd.choice(T)})
        if rnd.random() < 0.05: aw["suppliers"] = aw["suppliers"][0]
        prefixes = ["30", "31", "32", "33", "39", "42", "44", "45", "48", "50", "71", "72", "79", "90", "99"]
        items = []
        for j in range(rnd.choice([0, 1, 1, 2, 3])):
            code = rnd.choice(prefixes[:3] if winner in ("T1", "T2", "T3") else prefixes) + f"{rnd.randrange(100000):06d}"
            it = {"id": str(j), "classification": {"scheme": "CPV", "id": code}}
            if rnd.random() < 0.05: it["classification"]["id"] = int(code)
            items.append(it)
        if rnd.random() < 0.03: items.append({"id": "x", "classification": {"id": "\u00e9\u00e9x"}})
        if items: aw["items"] = items
        awards.append(aw)
        if rnd.random() < 0.15:
            awards.append({"id": f"{n}-a0", "status": rnd.choice(["cancelled", "unsuccessful", "active"]),
                           "suppliers": [{"id": tid(rnd.choice(bidders))}]})
    if awards or rnd.random() < 0.1:
        r["awards"] = awards
    if rnd.random() < 0.3:
        r["parties"] = [{"id": tid(t), "name": "Party " + t, "roles": ["tenderer"]} for t in bidders[:2]]
    out.append(r)
with open("./mixed.jsonl", "w") as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
