"""aiosmtpd handler for the test rig: keeps every message it receives.

Each message is written to OUTDIR as NAME.eml (the exact bytes, renamed into place when
complete) and NAME.json (envelope and whether the session was encrypted). Recipients
starting with "reject@" get a permanent 550, "later@" a transient 451.
"""
import itertools
import json
import os
import time


class DirHandler:
    def __init__(self, outdir):
        self.outdir = outdir
        os.makedirs(outdir, exist_ok=True)
        self.seq = itertools.count(1)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("DirHandler needs the output directory")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("reject@"):
            return "550 5.1.1 rejected by the rig"
        if address.lower().startswith("later@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%d-%04d" % (time.time_ns(), os.getpid(), next(self.seq))
        base = os.path.join(self.outdir, name)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": server.transport.get_extra_info("ssl_object") is not None}, f)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 accepted as " + name
