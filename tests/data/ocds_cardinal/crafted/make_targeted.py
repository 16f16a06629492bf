# Small sets in which the fence-based indicators fire (R024, R025, R038, R048, R058).
import json, random
rnd = random.Random(7)
def w(name, rows):
    with open(f"./{name}.jsonl", "w") as f:
        for r in rows: f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
def proc(n, prefix, winner, bids, extra=None):
    r = {"ocid": f"{prefix}-{n:03d}", "tender": {"title": f"{prefix} {n}"},
         "bids": {"details": [{"status": s, "tenderers": [{"id": t}], "value": {"amount": a, "currency": "USD"}} for t, a, s in bids]},
         "awards": [{"id": "1", "status": "active", "suppliers": [{"id": winner}]}]}
    if extra: r.update(extra)
    return r
# R024/R058: second-lowest 5-7 % above the winner; a few at 0.1-2 % and at 20-40 %.
rows = []
for n in range(1, 61):
    win = 1000 + 10 * n
    ratio = rnd.uniform(0.05, 0.07)
    if n % 12 == 0: ratio = rnd.choice([0.001, 0.01, 0.02, 0.0])
    if n % 15 == 0: ratio = rnd.choice([0.2, 0.4, 0.3])
    w_id, l_id = f"W{n % 7}", f"L{n % 5}"
    bids = [(w_id, win, "valid"), (l_id, round(win * (1 + ratio), 2), "valid"), ("X9", round(win * 1.5, 2), "valid")]
    if n % 9 == 0: bids.append((w_id, win + 5, "valid"))  # the winner's second bid
    if n % 11 == 0: bids[1] = (l_id, bids[1][1], "disqualified")
    rows.append(proc(n, "r024", w_id, bids))
w("r024_r058", rows)
# R025: fifteen tenderers; most win about a third of their processes, one big bidder rarely wins.
rows = []
names = [f"C{i}" for i in range(14)]
for n in range(1, 161):
    k = rnd.sample(names, 3)
    if n % 2 == 0: k[0] = "C14"
    others = [t for t in k if t != "C14"]
    winner = "C14" if ("C14" in k and rnd.random() < 0.04) else rnd.choice(others)
    bids = [(t, 100 + i, "valid") for i, t in enumerate(k)]
    rows.append(proc(n, "r025", winner, bids))
w("r025", rows)
# R038: buyers and tenderers with a disqualification rate far above the others.
rows = []
for n in range(1, 81):
    buyer = f"BY{n % 8}"
    ts = rnd.sample([f"D{i}" for i in range(12)], 3)
    rate = 0.7 if buyer == "BY3" else 0.12
    bids = [(t, 100 + i, "disqualified" if (rnd.random() < rate or t == "D11") else "valid") for i, t in enumerate(ts)]
    valid = [t for t, a, s in bids if s == "valid"] or [ts[0]]
    rows.append(proc(n, "r038", valid[0], bids, {"buyer": {"id": buyer}, "tender": {"title": f"r038 {n}", "procuringEntity": {"id": f"PE{n % 5}"}}}))
w("r038", rows)
# R048: suppliers with 20+ processes; most deliver 2-4 classification divisions, one 12.
rows = []
for n in range(1, 161):
    s = f"S{n % 8}"
    pool = [f"{d:02d}" for d in range(30, 42)] if s == "S5" else [f"{d:02d}" for d in range(30, 30 + 2 + n % 8 % 3)]
    items = [{"id": str(j), "classification": {"scheme": "CPV", "id": rnd.choice(pool) + "100000"}} for j in range(2)]
    r = {"ocid": f"r048-{n:03d}", "awards": [{"id": "1", "status": "active", "suppliers": [{"id": s}], "items": items}]}
    rows.append(r)
w("r048", rows)
