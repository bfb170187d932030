#!/usr/bin/python3
"""An Exchange-like front for the test rig's Dovecot: an IMAPS proxy that behaves as Exchange
Online does where it differs from Dovecot (/work/shared/M365.md §4; mailcore2#780, node-imap#602,
imap_tools#181, MailKit#1282, MailKit#1615):

- it advertises Exchange Online's capability list (no ESEARCH, CONDSTORE or ENABLE);
- SELECT's PERMANENTFLAGS has no \\* ;
- a STORE or SEARCH naming a keyword gets "BAD Command Argument Error. 11" and never reaches Dovecot;
- the inbox is listed as "Inbox";
- faults for tests: --drop-fetch UID:N gives nothing for that UID in the next N FETCHes of its body,
  --report-size N claims every message is N bytes (RFC822.SIZE), --keep-star advertises \\* in
  PERMANENTFLAGS yet refuses keywords (a server that changes its mind at run time).

Every command the client sends is logged (tag, verb and the flags of a STORE) to --log.
Usage: exchange_front.py --upstream 127.0.0.1:10993 --cert C --key K --log FILE [faults]
Prints the port it listens on (127.0.0.1, chosen by the kernel) on the first line of stdout.
"""
import argparse
import asyncio
import re
import ssl
import sys

CAPABILITIES = b"IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+"
PERMANENT = rb"[PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)]"
PERMANENT_STAR = rb"[PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent \*)]"
LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")
KEYWORD_FLAG = re.compile(rb"(?<![\\\w])\$?[A-Za-z][\w$-]*")


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--drop-fetch", default=None, help="UID:N")
    p.add_argument("--report-size", type=int, default=None)
    p.add_argument("--keep-star", action="store_true")
    return p.parse_args()


ARGS = parse_args()
DROP = {}
if ARGS.drop_fetch:
    uid, n = ARGS.drop_fetch.split(":")
    DROP[int(uid)] = int(n)


def log(line: bytes):
    with open(ARGS.log, "ab") as f:
        f.write(line.rstrip(b"\r\n") + b"\n")


def keywords_in(command: bytes) -> bool:
    """True for a STORE or SEARCH that names a keyword (a flag without a backslash)."""
    words = command.split(b" ")
    verbs = [w.upper() for w in words[1:3]]
    if b"STORE" in verbs:
        flags = command[command.find(b"(") + 1:command.rfind(b")")] if b"(" in command else b" ".join(words[-1:])
        return any(not f.startswith(b"\\") for f in flags.split() if f)
    if b"SEARCH" in verbs:
        upper = command.upper()
        return b" KEYWORD " in upper or b" UNKEYWORD " in upper
    return False


async def read_response(reader):
    """One response with its literals, as a list of (line, literal bytes or None)."""
    parts = []
    while True:
        line = await reader.readline()
        if not line:
            return None
        m = LITERAL.search(line)
        if not m:
            parts.append((line, None))
            return parts
        data = await reader.readexactly(int(m.group(1)))
        parts.append((line, data))


def rewrite(parts):
    """Exchange's face on one server response; None drops it."""
    first = parts[0][0]
    if first.startswith(b"* ") and b" FETCH (" in first:
        m = re.search(rb"UID (\d+)", first)
        if m and int(m.group(1)) in DROP and DROP[int(m.group(1))] > 0 and b"BODY[]" in first.upper():
            DROP[int(m.group(1))] -= 1
            return None
        if ARGS.report_size is not None:
            first = re.sub(rb"RFC822\.SIZE \d+", b"RFC822.SIZE %d" % ARGS.report_size, first)
    first = re.sub(rb"^\* CAPABILITY .*?(\r\n)$", rb"* CAPABILITY " + CAPABILITIES + rb"\1", first)
    first = re.sub(rb"\[CAPABILITY [^\]]*\]", b"[CAPABILITY " + CAPABILITIES + b"]", first)
    first = re.sub(rb"\[PERMANENTFLAGS \([^)]*\)\]", (PERMANENT_STAR if ARGS.keep_star else PERMANENT).replace(b"\\", b"\\\\"), first)
    first = re.sub(rb'^(\* LIST \([^)]*\) "[^"]*" )"?INBOX"?(\r\n)$', rb'\1"Inbox"\2', first)
    return [(first, parts[0][1])] + parts[1:]


async def pipe_server(up_reader, writer):
    while True:
        parts = await read_response(up_reader)
        if parts is None:
            break
        parts = rewrite(parts)
        if parts is None:
            continue
        for line, data in parts:
            writer.write(line)
            if data is not None:
                writer.write(data)
        await writer.drain()
    writer.close()


async def pipe_client(reader, writer, up_writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        m = LITERAL.search(line)
        head = line
        if m:
            # A literal (APPEND): passed through as it comes; the server answers "+" when it must.
            up_writer.write(line)
            up_writer.write(await reader.readexactly(int(m.group(1))))
            await up_writer.drain()
            log(b" ".join(head.split(b" ")[:2]) + b" {literal}")
            continue
        words = line.split(b" ")
        verb = b" ".join(words[1:3]) if len(words) > 2 and words[1].upper() == b"UID" else (words[1] if len(words) > 1 else b"")
        logged = b" ".join(words[:1]) + b" " + verb.rstrip(b"\r\n")
        if words[1:2] and words[1].upper() in (b"LOGIN", b"AUTHENTICATE"):
            log(logged + b" (hemmeligheden udeladt)")
        else:
            log(line if b"STORE" in line.upper() else logged)
        if keywords_in(line.rstrip(b"\r\n")):
            writer.write(words[0] + b" BAD Command Argument Error. 11\r\n")
            await writer.drain()
            continue
        up_writer.write(line)
        await up_writer.drain()
    up_writer.close()


async def handle(reader, writer):
    host, port = ARGS.upstream.rsplit(":", 1)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    up_reader, up_writer = await asyncio.open_connection(host, int(port), ssl=ctx)
    await asyncio.gather(pipe_server(up_reader, writer), pipe_client(reader, writer, up_writer), return_exceptions=True)


async def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
