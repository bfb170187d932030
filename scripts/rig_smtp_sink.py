"""aiosmtpd handler for the test rig: keeps every message it receives.

Each message is written to OUTDIR as NAME.eml (the exact bytes, renamed into place when
complete) and NAME.json (envelope and whether the session was encrypted). Recipients
starting with "reject@" get a permanent 550, "later@" a transient 451.

Run as a program (`rig_smtp_sink.py oauth PORT CERT KEY INTROSPECT_URL OUTDIR`), it is the
OAuth sink: STARTTLS required, and then only `AUTH XOAUTH2` with a token the rig's token
endpoint issued and still takes (asked at its introspection URL) for the mailbox named in
`user=`; anything else gets 535 as Exchange Online answers it. NAME.json also holds the
mechanism, the user and the token's client.
"""
import asyncio
import base64
import itertools
import json
import os
import ssl
import sys
import time
import urllib.parse
import urllib.request


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

    def meta(self, server, session, envelope):
        return {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "tls": server.transport.get_extra_info("ssl_object") is not None}

    async def handle_DATA(self, server, session, envelope):
        name = "%d-%d-%04d" % (time.time_ns(), os.getpid(), next(self.seq))
        base = os.path.join(self.outdir, name)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with open(base + ".json", "w") as f:
            json.dump(self.meta(server, session, envelope), f)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 accepted as " + name


class OAuthDirHandler(DirHandler):
    """DirHandler behind XOAUTH2: the token is asked of the rig's token endpoint at every AUTH."""

    def __init__(self, outdir, introspect_url):
        super().__init__(outdir)
        self.introspect_url = introspect_url

    def introspect(self, token):
        data = urllib.parse.urlencode({"token": token}).encode("ascii")
        with urllib.request.urlopen(self.introspect_url, data=data, timeout=10) as r:
            return json.load(r)

    async def auth_XOAUTH2(self, server, args):
        from aiosmtpd.smtp import AuthResult, MISSING
        if len(args) == 2:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except ValueError:
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        else:
            blob = await server.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        # user=MAILBOX ^A auth=Bearer TOKEN ^A ^A
        fields = dict(f.split("=", 1) for f in blob.decode("utf-8", "replace").split("\x01") if "=" in f)
        user = fields.get("user", "")
        bearer = fields.get("auth", "")
        token = bearer[7:] if bearer.lower().startswith("bearer ") else ""
        answer = {"active": False}
        if token:
            try:
                answer = await asyncio.get_running_loop().run_in_executor(None, self.introspect, token)
            except OSError:
                await server.push("454 4.7.0 Temporary authentication failure")
                return AuthResult(success=False, handled=True)
        if answer.get("active") is True and answer.get("username", "").lower() == user.lower():
            sys.stderr.write("%s AUTH XOAUTH2 %s accepted (client %s)\n" % (time.strftime("%H:%M:%S"), user, answer.get("client_id")))
            return AuthResult(success=True, auth_data={"mechanism": "XOAUTH2", "user": user, "client_id": answer.get("client_id")})
        sys.stderr.write("%s AUTH XOAUTH2 %s refused\n" % (time.strftime("%H:%M:%S"), user))
        return AuthResult(success=False, handled=False, message="535 5.7.3 Authentication unsuccessful")

    def meta(self, server, session, envelope):
        return dict(super().meta(server, session, envelope), auth=session.auth_data)


def main_oauth(port, cert, key, introspect_url, outdir):
    import warnings
    from aiosmtpd.smtp import SMTP

    # aiosmtpd 1.4 warns of its own use of Session.login_data at every AUTH.
    warnings.simplefilter("ignore", DeprecationWarning)

    class LongLineSMTP(SMTP):
        # Exchange Online takes a token's AUTH response of several kilobytes; RFC 5321's 1,000 is for commands.
        line_length_limit = 16384

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = OAuthDirHandler(outdir, introspect_url)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: LongLineSMTP(handler, hostname="rig-oauth-sink", tls_context=context, require_starttls=True,
                             auth_required=True, auth_require_tls=True, auth_exclude_mechanism=["PLAIN", "LOGIN"], loop=loop),
        host="127.0.0.1", port=port))
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    if len(sys.argv) != 7 or sys.argv[1] != "oauth":
        sys.stderr.write("usage: rig_smtp_sink.py oauth PORT CERT KEY INTROSPECT_URL OUTDIR\n")
        sys.exit(64)
    main_oauth(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6])
