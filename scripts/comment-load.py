#!/usr/bin/env python3
"""Write load: many signed-in writers posting comments (and, with --react,
switching their reaction) at once, then a check that every acknowledged write
is there. Used by the fault tests (scripts/scale-out-e2e.sh) and `make bench`.
Standard library only.

    comment-load.py BASE_URL SLUG SECONDS WRITERS OUT_FILE [--react]

Writes a JSON summary to OUT_FILE and prints it: acknowledged comment ids,
failures by status, writes per second, and (after the run) how many
acknowledged writes are missing.
"""
import http.cookiejar
import json
import random
import sys
import threading
import time
import urllib.error
import urllib.request

base, slug, seconds, writers, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
react = "--react" in sys.argv[6:]
KINDS = ["love", "haha", "wow", "sad", "angry", "excited"]
acked, picks, failures, lock = [], {}, {}, threading.Lock()
reactions_acknowledged = [0]
run = f"{int(time.time() * 1000) % 10_000_000}"


def call(opener, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with opener.open(req, timeout=30) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, None
    except Exception as err:  # a connection reset by a dying instance, a timeout
        return type(err).__name__, None


def failed(status):
    with lock:
        failures[str(status)] = failures.get(str(status), 0) + 1


def sign_up(n):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    name = f"load{run}_{n}"
    for _ in range(200):  # the password hashers may be busy (503): try again
        status, _ = call(opener, "POST", "/api/v1/auth/signup",
                         {"username": name, "email": f"{name}@example.com", "password": "harbour-lantern-92"})
        if status == 201:
            return opener
        time.sleep(0.05)
    raise SystemExit(f"writer {n} could not sign up")


def write(n, opener, stop_at):
    i = 0
    while time.time() < stop_at:
        i += 1
        status, body = call(opener, "POST", f"/api/v1/articles/{slug}/comments", {"body": f"Load {run} writer {n} number {i}"})
        if status == 201:
            with lock:
                acked.append(body["id"])
        else:
            failed(status)
        if react and time.time() < stop_at:
            kind = random.choice(KINDS)
            status, _ = call(opener, "PUT", f"/api/v1/articles/{slug}/reactions", {"reaction": kind})
            if status == 200:
                with lock:
                    picks[n] = kind
                    reactions_acknowledged[0] += 1
            else:
                failed(status)


def run_all(target, args_of):
    threads = [threading.Thread(target=target, args=args_of(n)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


openers = [None] * writers
def setup(n):
    openers[n] = sign_up(n)
run_all(setup, lambda n: (n,))

started = time.time()
run_all(write, lambda n: (n, openers[n], started + seconds))
elapsed = time.time() - started

# Every acknowledged write must be there afterwards.
missing = {"comments": 0, "reactions": 0}
def check(n):
    opener = openers[n]
    if react and n in picks:
        status, body = call(opener, "GET", f"/api/v1/articles/{slug}/reactions")
        if status != 200 or body["mine"] != picks[n]:
            with lock:
                missing["reactions"] += 1
    for cid in acked[n::writers]:
        status, _ = call(opener, "GET", f"/api/v1/comments/{cid}")
        if status != 200:
            with lock:
                missing["comments"] += 1
run_all(check, lambda n: (n,))

summary = {
    "writers": writers,
    "seconds": round(elapsed, 1),
    "comments_acknowledged": len(acked),
    "reactions_acknowledged": reactions_acknowledged[0],
    "writes_per_second": round((len(acked) + reactions_acknowledged[0]) / elapsed, 1),
    "acked": acked,
    "failures": failures,
    "missing_after": missing,
}
with open(out, "w") as f:
    json.dump(summary, f)
print(json.dumps({k: v for k, v in summary.items() if k != "acked"}))
