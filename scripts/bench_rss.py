"""Samples a process's memory while it runs, for scripts/bench.

    python3 scripts/bench_rss.py PID
        PID is /usr/bin/time's: the sampled process is its child. Every 20 ms, until it exits:
        seconds since start, VmHWM (peak so far) and VmRSS in kB; one JSON list on stdout.
"""
import json, os, sys, time

parent = int(sys.argv[1])


def child():
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                        return int(entry)
            except (OSError, IndexError, ValueError):
                pass
    return None


pid, t0 = None, time.monotonic()
while pid is None and time.monotonic() - t0 < 10:
    pid = child()
    time.sleep(0.005)
samples = []
while pid is not None:
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(l.split(":", 1) for l in f if ":" in l)
        samples.append([round(time.monotonic() - t0, 3), int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])])
    except (OSError, KeyError):
        break
    time.sleep(0.02)
print(json.dumps(samples))
