"""The Python peers of scripts/bench: the standard library doing the same work on the same data.

    python3 scripts/bench_python.py parse ROOT MANIFEST RUNS
        parse every file with email (policy default), walk every part and decode every leaf
        (text to str, the rest to bytes); best of RUNS, one JSON line
    python3 scripts/bench_python.py imap URL USER MAILBOX CAFILE
        imaplib over STARTTLS: SELECT, UID SEARCH ALL, UID FETCH BODY.PEEK[] of every message in
        batches of 100, parse each with email; one JSON line (password from $SSP_IMAP_PASSWORD)
"""
import email, email.policy, imaplib, json, os, ssl, sys, time


def walk(msg):
    n = 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text":
            try:
                n += len(part.get_content())
            except Exception:
                n += len(part.get_payload(decode=True) or b"")
        else:
            n += len(part.get_payload(decode=True) or b"")
    return n


def parse(root, manifest, runs):
    blobs = [open(os.path.join(root, l.strip()), "rb").read() for l in open(manifest) if l.strip()]
    total = sum(map(len, blobs))
    times, sink = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        for b in blobs:
            sink += walk(email.message_from_bytes(b, policy=email.policy.default))
        times.append(time.perf_counter() - t0)
    best = min(times)
    print(json.dumps({"messages": len(blobs), "bytes": total, "best_s": best, "MB_per_s": total / best / 1e6,
                      "msgs_per_s": len(blobs) / best, "checksum": sink}))


def imap(url, user, mailbox, cafile):
    host, port = url.split("//")[1].split(":")
    ctx = ssl.create_default_context(cafile=cafile)
    t0 = time.perf_counter()
    m = imaplib.IMAP4(host, int(port))
    m.starttls(ssl_context=ctx)
    m.login(user, os.environ["SSP_IMAP_PASSWORD"])
    m.select(mailbox, readonly=True)
    typ, data = m.uid("SEARCH", None, "ALL")
    uids = data[0].split()
    count = total = sink = 0
    for i in range(0, len(uids), 100):
        typ, data = m.uid("FETCH", b",".join(uids[i:i + 100]), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple):
                total += len(item[1])
                count += 1
                sink += walk(email.message_from_bytes(item[1], policy=email.policy.default))
    m.logout()
    s = time.perf_counter() - t0
    print(json.dumps({"messages": count, "bytes": total, "seconds": s, "msgs_per_s": count / s, "checksum": sink}))


if __name__ == "__main__":
    if sys.argv[1] == "parse":
        parse(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        imap(*sys.argv[2:6])
