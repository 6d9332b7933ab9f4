#!/usr/bin/env python3
"""The steps of bench/webhook-bench.sh that talk HTTP and JSON; the shell script runs them in order.

  orders   buyers register, put a book in the cart and press "Pay" on the store's page, so the store makes the
           PaymentIntent at Stripe (the emulator); then they pay at Stripe, or are declined, or both, or leave.
  events   collects the events Stripe recorded for those orders, and makes the deliveries: every event several
           times, shuffled, so later events often arrive before earlier ones.
  strangers  events of the types the store acts on, for PaymentIntents made by someone else on the same Stripe account
           (another integration): new to the store, kept and acted on (and found not to be its own), as a warm-up's
           share of new events. Shaped as the warm-up orders' own events, with fresh ids and no metadata.
  sign     signs each delivery as Stripe does and writes them as raw HTTP requests for wrk (webhook-bench.lua).
  check    compares every order in the store's database with Stripe's own record of its PaymentIntent.

Only the standard library: http.client, hmac, json, threads.
"""
import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import json
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BOOKS = ["art-of-doing-science-and-engineering", "making-of-prince-of-persia", "working-in-public",
         "structure-and-interpretation-of-computer-programs", "pragmatic-programmer", "designing-data-intensive-applications",
         "mythical-man-month", "code-hidden-language", "soul-of-a-new-machine"]
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
# What each buyer does at Stripe, and how often: most pay, some are declined and pay with another card, some are
# only declined, a few leave before paying. The right end state differs by outcome.
OUTCOMES = [("pay", 70), ("decline_then_pay", 10), ("decline", 15), ("abandon", 5)]
# Event types sent: every one Stripe made for the buyers' PaymentIntents, charges and customers (the store acts
# on payment_intent.*; charge.* and customer.* it acknowledges and ignores, as it must).
SENT_PREFIXES = ("payment_intent.", "charge.", "customer.")


class Buyer:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            self.page = response.read().decode()
            return self.page

    def post(self, path, **fields):
        token = CSRF.search(self.page)
        if not token:
            raise RuntimeError(f"no CSRF token on the page before POST {path}")
        data = urllib.parse.urlencode({**fields, "_csrf": token.group(1)}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=60) as response:
                body = response.read().decode()
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"POST {path}: {e.code} {e.read().decode()[:300]}")
        if response.headers.get_content_type() == "text/html":
            self.page = body
        return body


def stripe(api, key, method, path, fields=None):
    """A call to Stripe's API (the emulator): (status, JSON)."""
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    request = urllib.request.Request(api + path, data=data, method=method)
    request.add_header("Authorization", "Basic " + base64.b64encode((key + ":").encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def outcome_for(rng):
    roll, total = rng.randrange(100), 0
    for name, share in OUTCOMES:
        total += share
        if roll < total:
            return name
    return OUTCOMES[-1][0]


def buy(args, index, book_ids):
    rng = random.Random(f"{args.seed}-{args.prefix}-{index}")
    buyer = Buyer(args.store)
    buyer.get("/register")
    email = f"webhook-bench-{args.prefix}-{args.seed}-{index}@example.com"
    buyer.post("/register", name=f"Webhook Buyer {args.prefix} {index}", email=email, password="correct horse battery")
    slug = rng.choice(BOOKS)
    buyer.get(f"/books/{slug}")
    quantity = 1 + rng.randrange(3)
    added = buyer.post("/cart/add", bookId=book_ids[slug], quantity=str(quantity))
    if "to your cart." not in added:
        raise RuntimeError(f"buyer {index}: the book was not added to the cart")
    page = buyer.get("/checkout")
    order_id = re.search(r'data-order-id="(\d+)"', page)
    digest = re.search(r'data-cart-digest="([^"]*)"', page)
    if not order_id or not digest:
        raise RuntimeError(f"buyer {index}: no order on /checkout")
    answer = json.loads(buyer.post("/checkout/payment-intent", orderId=order_id.group(1), cartDigest=digest.group(1)))
    client_secret = answer["clientSecret"]
    intent = client_secret[:client_secret.index("_secret_")]
    outcome = outcome_for(rng)
    confirm = lambda card: stripe(args.api, args.key, "POST", f"/v1/payment_intents/{intent}/confirm",
                                  {"payment_method": card, "return_url": args.store + "/checkout/complete"})
    if outcome in ("decline", "decline_then_pay"):
        status, body = confirm("pm_card_visa_chargeDeclined")
        if status != 402:
            raise RuntimeError(f"buyer {index}: the declined card answered {status} {body}")
    if outcome in ("pay", "decline_then_pay"):
        status, body = confirm("pm_card_visa")
        if status != 200 or body.get("status") != "succeeded":
            raise RuntimeError(f"buyer {index}: paying answered {status} {body}")
    return {"order": int(order_id.group(1)), "intent": intent, "outcome": outcome, "quantity": quantity, "book": slug}


def orders(args):
    book_ids = {}
    probe = Buyer(args.store)
    for slug in BOOKS:
        book_ids[slug] = re.search(r'name="bookId" value="(\d+)"', probe.get(f"/books/{slug}")).group(1)
    started = time.time()
    with ThreadPoolExecutor(args.threads) as pool:
        made = list(pool.map(lambda i: buy(args, i, book_ids), range(args.orders)))
    with open(args.out, "w") as out:
        json.dump(made, out)
    counts = {name: sum(1 for o in made if o["outcome"] == name) for name, _ in OUTCOMES}
    print(f"bench: {len(made)} orders made in {time.time() - started:.0f} s ("
          + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()) + ")", flush=True)


def all_of(api, key, path):
    """Every object of a Stripe list, paging with starting_after."""
    found, after = [], None
    while True:
        status, page = stripe(api, key, "GET", path + ("&" if "?" in path else "?") + "limit=100"
                              + (f"&starting_after={after}" if after else ""))
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {page}")
        found.extend(page["data"])
        if not page.get("has_more") or not page["data"]:
            return found
        after = page["data"][-1]["id"]


def events(args):
    made = json.load(open(args.orders))
    intents = {o["intent"] for o in made}
    everything = all_of(args.api, args.key, "/v1/events")
    # The customers and charges of the buyers' PaymentIntents belong to these orders too.
    related = set(intents)
    for event in everything:
        obj = event["data"]["object"]
        if obj.get("object") == "payment_intent" and obj["id"] in intents and obj.get("customer"):
            related.add(obj["customer"])
        if obj.get("object") == "charge" and obj.get("payment_intent") in intents:
            related.add(obj["id"])
    chosen = [e for e in everything if e["type"].startswith(SENT_PREFIXES)
              and (e["data"]["object"].get("id") in related or e["data"]["object"].get("payment_intent") in intents)]
    rng = random.Random(f"{args.seed}-deliveries-{args.orders}")
    deliveries = []
    if args.deliveries:
        # Every event at least once, then the rest drawn at random: each event arrives about deliveries/events times.
        times = max(1, args.deliveries // len(chosen))
        deliveries = [e for e in chosen for _ in range(times)]
        deliveries += rng.sample(chosen * 2, args.deliveries - len(deliveries)) if args.deliveries > len(deliveries) else []
        deliveries = deliveries[:args.deliveries]
    else:
        deliveries = list(chosen)
    rng.shuffle(deliveries)
    # How often a later event of an object arrives before an earlier one.
    first_seen, inversions, pairs = {}, 0, 0
    for position, event in enumerate(deliveries):
        first_seen.setdefault(event["id"], position)
    # Stripe lists the newest first; within a second, that order is the order they happened in.
    age = {event["id"]: position for position, event in enumerate(everything)}
    by_object = {}
    for event in chosen:
        by_object.setdefault(event["data"]["object"]["id"], []).append(event)
    for evs in by_object.values():
        evs.sort(key=lambda e: (e["created"], -age[e["id"]]))
        for a in range(len(evs)):
            for b in range(a + 1, len(evs)):
                pairs += 1
                inversions += first_seen[evs[b]["id"]] < first_seen[evs[a]["id"]]
    with open(args.out, "w") as out:
        for event in deliveries:
            out.write(json.dumps(event, separators=(",", ":")) + "\n")
    types = {}
    for event in chosen:
        types[event["type"]] = types.get(event["type"], 0) + 1
    print(f"bench: {len(chosen)} events for {len(made)} orders, {len(deliveries)} deliveries; of the pairs of events about "
          f"one object, {inversions} of {pairs} arrive later event first ("
          + ", ".join(f"{t} {n}" for t, n in sorted(types.items())) + ")", flush=True)


def strangers(args):
    templates = {}
    for line in open(args.deliveries):
        event = json.loads(line)
        if event["type"].startswith("payment_intent."):
            templates.setdefault(event["id"], event)
    if not templates:
        raise SystemExit("bench: no payment_intent events to shape strangers' events on")
    templates = sorted(templates.values(), key=lambda e: e["id"])
    rng = random.Random(f"{args.seed}-strangers")
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

    def token(prefix):
        return prefix + "".join(rng.choice(alphabet) for _ in range(24))

    with open(args.out, "w") as out:
        for i in range(args.count):
            event = json.loads(json.dumps(templates[i % len(templates)]))
            intent = event["data"]["object"]
            intent_id = token("pi_")
            event["id"] = token("evt_")
            intent.update(id=intent_id, metadata={}, customer=None, description="Another integration's payment",
                          client_secret=f"{intent_id}_secret_{token('')}")
            if intent.get("latest_charge"):
                intent["latest_charge"] = token("ch_")
            out.write(json.dumps(event, separators=(",", ":")) + "\n")


def sign(args):
    """Raw HTTP requests for wrk, each preceded by its length; signed now, as Stripe signs each attempt. With --shares N,
    also split into OUT.1 to OUT.N, delivery i in OUT.((i - 1) mod N + 1): one file for each of wrk's threads."""
    now = int(time.time())
    host = urllib.parse.urlparse(args.store).netloc
    count = 0
    shares = [open(f"{args.out}.{k}", "wb") for k in range(1, args.shares + 1)]
    with open(args.deliveries, "rb") as source, open(args.out, "wb") as out:
        for line in source:
            body = line.rstrip(b"\n")
            digest = hmac.new(args.secret.encode(), str(now).encode() + b"." + body, hashlib.sha256).hexdigest()
            request = (f"POST /stripe/webhook HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)\r\n"
                       f"Content-Type: application/json; charset=utf-8\r\nStripe-Signature: t={now},v1={digest}\r\n"
                       f"Content-Length: {len(body)}\r\n\r\n").encode() + body
            out.write(f"{len(request)}\n".encode() + request)
            if shares:
                shares[count % len(shares)].write(f"{len(request)}\n".encode() + request)
            count += 1
    for share in shares:
        share.close()
    print(count)


def query(args, sql):
    command = [args.java, "-cp", "store/target/aot/lib/*", "bench/Sql.java", args.db_url, args.db_user, args.db_password, sql]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def check(args):
    """Every order against Stripe's record of its PaymentIntent; prints what is wrong, returns how many."""
    made = json.load(open(args.orders))
    truth = {i["id"]: i for i in all_of(args.api, args.key, "/v1/payment_intents")}
    read_at = time.time()
    rows = query(args, "SELECT o.id, o.status, a.status, a.payment_intent_id, a.charge_id, a.amount_received_minor, a.amount_minor "
                       "FROM orders o LEFT JOIN checkout_attempts a ON a.order_id = o.id WHERE o.status <> 'cart' ORDER BY o.id")
    read_done = time.time()
    by_order = {}
    for row in rows:
        by_order.setdefault(int(row[0]), []).append(row)
    wrong, summary = [], {}
    for order in made:
        found = by_order.pop(order["order"], [])
        intent = truth.get(order["intent"])
        if intent is None:
            wrong.append(f"order {order['order']}: Stripe has no {order['intent']}")
            continue
        if intent["status"] == "succeeded":
            expected = ("paid", "paid")
        elif intent["status"] == "requires_payment_method" and intent.get("last_payment_error"):
            expected = ("payment_failed", "failed")
        elif intent["status"] == "requires_payment_method":
            expected = ("pending", "started")
        else:
            expected = ("?", intent["status"])
        summary[expected[0]] = summary.get(expected[0], 0) + 1
        if len(found) != 1:
            wrong.append(f"order {order['order']}: {len(found)} placed rows with its attempts, expected 1")
            continue
        _, order_status, attempt_status, intent_id, charge, received, amount = found[0]
        if intent_id != intent["id"] or (order_status, attempt_status) != expected:
            wrong.append(f"order {order['order']} ({order['outcome']}): Stripe says {intent['status']}, order {order_status}, "
                         f"attempt {attempt_status}, expected {expected}")
        if int(amount) != intent["amount"]:
            wrong.append(f"order {order['order']}: attempt amount {amount}, Stripe's {intent['amount']}")
        if intent["status"] == "succeeded" and (charge != intent["latest_charge"] or received == "\\N"
                                                or int(received) != intent["amount_received"]):
            wrong.append(f"order {order['order']}: paid {intent['amount_received']} with {intent['latest_charge']} at Stripe, "
                         f"recorded {received} with {charge}")
        if intent["status"] != "succeeded" and (charge != "\\N" or received != "\\N"):
            wrong.append(f"order {order['order']}: not paid at Stripe, but the store recorded {received} with {charge}")
    for order_id, extra in by_order.items():
        wrong.append(f"order {order_id}: placed in the store ({extra[0][1]}) but not made by the bench")
    for row in query(args, "SELECT order_id, COUNT(*) FROM order_status_changes WHERE to_status = 'paid' AND from_status <> 'paid' "
                           "GROUP BY order_id HAVING COUNT(*) > 1"):
        wrong.append(f"order {row[0]}: paid {row[1]} times")
    for row in query(args, "SELECT kind, order_id, stripe_object_id FROM payment_attention"):
        wrong.append(f"payment needing attention: {row}")
    if args.verbose or wrong:
        for line in wrong[:20]:
            print("  " + line, file=sys.stderr)
    print(f"{len(made)} {len(wrong)} " + ",".join(f"{k}={v}" for k, v in sorted(summary.items())) + f" {read_at:.3f} {read_done:.3f}")
    return len(wrong)


SAFEPOINT = re.compile(r"\[(\d+)ns\].*Safepoint \"(\w+)\".*Total: (\d+) ns")


def stalls(args):
    """Where the answers of the measured run stopped coming, and the JVM's stop-the-world pauses (safepoints: mostly
    young collections) in the same time. Both clocks are CLOCK_MONOTONIC: wrk's in microseconds (the first request,
    then every answer, from bench/webhook-bench.lua) and the store's -Xlog timenanos (the end of each safepoint)."""
    times = [int(line) for line in open(args.times) if line.strip()]
    start, answers = times[0], times[1:]
    gaps = sorted(((answers[i] - answers[i - 1], answers[i - 1]) for i in range(1, len(answers))), reverse=True)
    pauses = []
    for line in open(args.safepoints):
        m = SAFEPOINT.search(line)
        if m:
            end, total = int(m.group(1)) / 1000, int(m.group(3)) / 1000
            if start <= end and end - total <= answers[-1]:
                pauses.append((end - total, end, m.group(2)))

    def in_pause(at, length):
        # A gap counts as a pause's if at least half of it falls within one.
        return any(min(at + length, e) - max(at, b) >= length / 2 for b, e, _ in pauses)

    long = [(g, at) for g, at in gaps if g >= args.long_us]
    paused = sum(1 for g, at in long if in_pause(at, g))
    print(", ".join(f"{g / 1000:.1f}" for g, _ in gaps[:6])
          + f" (gaps of {args.long_us / 1000:.0f} ms or more: {len(long)}, {paused} of them within a pause)")
    longest = sorted((e - b for b, e, _ in pauses), reverse=True)
    kinds = sorted({k for _, _, k in pauses})
    print(f"{len(pauses)}, {sum(longest) / 1000:.1f} ms in all" + (f", the longest {', '.join(f'{x / 1000:.1f}' for x in longest[:4])} ms ({', '.join(kinds)})" if pauses else ""))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    o = sub.add_parser("orders")
    o.add_argument("--store"), o.add_argument("--api"), o.add_argument("--key"), o.add_argument("--out")
    o.add_argument("--orders", type=int), o.add_argument("--prefix"), o.add_argument("--seed", default="1")
    o.add_argument("--threads", type=int, default=16)
    e = sub.add_parser("events")
    e.add_argument("--api"), e.add_argument("--key"), e.add_argument("--orders"), e.add_argument("--out")
    e.add_argument("--deliveries", type=int, default=0), e.add_argument("--seed", default="1")
    g = sub.add_parser("strangers")
    g.add_argument("--deliveries"), g.add_argument("--count", type=int), g.add_argument("--out"), g.add_argument("--seed", default="1")
    s = sub.add_parser("sign")
    s.add_argument("--store"), s.add_argument("--secret"), s.add_argument("--deliveries"), s.add_argument("--out")
    s.add_argument("--shares", type=int, default=0)
    c = sub.add_parser("check")
    c.add_argument("--api"), c.add_argument("--key"), c.add_argument("--orders"), c.add_argument("--verbose", action="store_true")
    c.add_argument("--java"), c.add_argument("--db-url"), c.add_argument("--db-user"), c.add_argument("--db-password", default="")
    t = sub.add_parser("stalls")
    t.add_argument("--times"), t.add_argument("--safepoints"), t.add_argument("--long-us", type=int, default=10_000)
    args = parser.parse_args()
    if args.step == "check":
        sys.exit(1 if check(args) else 0)
    {"orders": orders, "events": events, "strangers": strangers, "sign": sign, "stalls": stalls}[args.step](args)


if __name__ == "__main__":
    main()
