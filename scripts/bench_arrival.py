"""Drives scripts/bench-arrival: APPENDs applications to the rig's Dovecot and times their replies.

  bench_arrival.py create MAILBOX
  bench_arrival.py idle|poll MAILBOX SMTP_OUT N      -> one JSON line with the latencies' figures

A reply is matched to its mail by In-Reply-To; its arrival is the sink's file name (time_ns first).
"""
import email.parser
import imaplib
import json
import os
import random
import ssl
import statistics
import sys
import threading
import time

HOST, PORT = "127.0.0.1", int(os.environ["RIG_IMAPS_URL"].rsplit(":", 1)[1])


def connect():
    ctx = ssl.create_default_context(cafile=os.environ["RIG_CA"])
    ctx.check_hostname = False
    m = imaplib.IMAP4_SSL(HOST, PORT, ssl_context=ctx)
    m.login("ssp", "ssppw")
    return m


def application(i, run):
    # A complete application from its own coordinator: every one gets its own reply, no sender limit.
    return f"""From: Tovholder {i} <tovholder{i}.{run}@kk.dk>
To: SSP København <ssp@kk.dk>
Subject: Ansøgning om SSP-midler: Fritidsjob {i}
Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}
Message-ID: <arrival-{run}-{i}@kk.dk>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Projektets navn: Fritidsjob {i} på Bispebjerg
Lokalområde: Bispebjerg
Tovholder: Tovholder {i}, tovholder{i}.{run}@kk.dk, 22 33 44 {i % 90 + 10}
Periode: 1. marts 2027 – 30. juni 2027
Målgruppe: Unge 14-17 år
Formål: Flere unge i fritidsjob.
""".replace("\n", "\r\n").encode()


def replies(out):
    """Message-ID replied to -> arrival times (seconds), from the sink's files."""
    seen = {}
    for name in os.listdir(out):
        if not name.endswith(".eml"):
            continue
        with open(os.path.join(out, name), "rb") as f:
            head = email.parser.BytesHeaderParser().parse(f)
        parent = (head.get("In-Reply-To") or "").strip()
        if parent:
            seen.setdefault(parent, []).append(int(name.split("-")[0]) / 1e9)
    return seen


def main():
    if sys.argv[1] == "create":
        m = connect()
        m.create(sys.argv[2])
        m.logout()
        return
    mode, box, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    run = f"{mode}{int(time.time())}"
    sent = {}
    m = connect()

    def append(i):
        mid = f"<arrival-{run}-{i}@kk.dk>"
        sent[mid] = time.time()
        m.append(box, None, None, application(i, run))

    if mode == "idle":
        for i in range(n):
            append(i)
            mid = f"<arrival-{run}-{i}@kk.dk>"
            until = time.time() + 30
            while mid not in replies(out) and time.time() < until:
                time.sleep(0.02)
            time.sleep(0.2)
    else:
        rnd = random.Random(7)
        offsets = sorted(rnd.uniform(0, 120) for _ in range(n))
        start = time.time()
        for i, off in enumerate(offsets):
            time.sleep(max(0, start + off - time.time()))
            append(i)
        until = time.time() + 150
        while len(set(sent) & set(replies(out))) < n and time.time() < until:
            time.sleep(0.2)
    m.logout()
    got = replies(out)
    lat = sorted(min(got[mid]) - t for mid, t in sent.items() if mid in got)
    q = statistics.quantiles(lat, n=20) if len(lat) >= 2 else [float("nan")] * 19
    print(json.dumps({"mails": n, "replies": len(lat), "p50": statistics.median(lat) if lat else float("nan"),
                      "p95": q[18], "max": max(lat) if lat else float("nan"),
                      "doubled": sum(1 for mid in sent if len(got.get(mid, [])) > 1)}))


if __name__ == "__main__":
    threading.current_thread().name = "bench-arrival"
    main()
