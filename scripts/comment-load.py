#!/usr/bin/env python3
"""Posts comments through the proxy from many signed-in writers at once and
records every acknowledged (201) comment id, for the fault tests in
scripts/scale-out-e2e.sh. Standard library only.

    comment-load.py BASE_URL SLUG SECONDS WRITERS OUT_FILE
"""
import http.cookiejar
import json
import sys
import threading
import time
import urllib.error
import urllib.request

base, slug, seconds, writers, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
acked, failures, lock = [], {}, threading.Lock()
stop_at = time.time() + seconds
run = f"{int(time.time()) % 100000}"


def call(opener, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with opener.open(req, timeout=10) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, None
    except Exception as err:  # connection reset by a dying instance, timeouts
        return type(err).__name__, None


def writer(n):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    name = f"load{run}_{n}"
    status = None
    while status != 201 and time.time() < stop_at:
        status, _ = call(opener, "POST", "/api/v1/auth/signup",
                         {"username": name, "email": f"{name}@example.com", "password": "harbour-lantern-92"})
        if status == 409:
            status, _ = call(opener, "POST", "/api/v1/auth/login", {"login": name, "password": "harbour-lantern-92"})
            status = 201 if status == 200 else status
    i = 0
    while time.time() < stop_at:
        i += 1
        status, body = call(opener, "POST", f"/api/v1/articles/{slug}/comments", {"body": f"Load {name} number {i}"})
        with lock:
            if status == 201:
                acked.append(body["id"])
            else:
                failures[str(status)] = failures.get(str(status), 0) + 1


threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out, "w") as f:
    json.dump({"acked": acked, "failures": failures}, f)
print(f"{len(acked)} comments acknowledged; not acknowledged: {failures or 'none'}")
