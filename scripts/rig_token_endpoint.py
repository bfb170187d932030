#!/usr/bin/env python3
"""OAuth2 token endpoint for the test rig, on 127.0.0.1 (Python standard library only).

It answers as Microsoft's identity platform does for the client-credentials grant, and is
what Dovecot (oauth2 passdb, introspection_mode = post) and the OAuth SMTP sink ask whether a
token is good:

  POST /<tenant>/oauth2/v2.0/token  grant_type=client_credentials, client_id, client_secret, scope
                                    200 {"token_type":"Bearer","expires_in":N,"ext_expires_in":N,"access_token":JWT}
                                    401 {"error":"invalid_client",…} for a wrong secret, 400 unauthorized_client
                                    for an unknown client, invalid_scope, unsupported_grant_type, invalid_request
  POST /introspect                  token=JWT (RFC 7662): {"active":true,"username":MAILBOX,…} or {"active":false}

Tokens are HS256 JWTs signed with the key made at rig start, about as long as Exchange
Online's (1,600 characters), and live `lifetime` seconds. A token is good while it has not
expired and was not revoked; `username` is the mailbox its client may use (as
Add-MailboxPermission grants it).

Admin, on the same port, for the tests (JSON bodies):

  POST /admin/clients   {"client_id","client_secret","mailbox","lifetime"}: adds or changes a client
  POST /admin/revoke    {"client_id"}: every token issued to it so far is refused from now on
  POST /admin/outage    {"client_id","seconds"}: its token requests get 503 temporarily_unavailable
  GET  /admin/stats?client_id=X   {"issued","refused","unavailable","active","expired","revoked","invalid"}

Usage: rig_token_endpoint.py PORT STATE_DIR (STATE_DIR holds clients.json and hs256.key, made
by scripts/rig). Secrets are read from those files, never from the command line, and never
logged: the log (stderr) names clients and outcomes only.
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCOPE = "https://outlook.office365.com/.default"
AUDIENCE = "https://outlook.office365.com"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class State:
    def __init__(self, state_dir):
        with open(os.path.join(state_dir, "hs256.key"), "rb") as f:
            self.key = f.read().strip()
        with open(os.path.join(state_dir, "clients.json")) as f:
            config = json.load(f)
        self.tenant = config["tenant"]
        self.clients = {c["client_id"]: dict(c) for c in config["clients"]}
        self.lock = threading.Lock()
        self.issued = {}   # jti -> client id
        self.revoked = set()
        self.stats = {}

    def count(self, client_id, what):
        with self.lock:
            s = self.stats.setdefault(client_id, {k: 0 for k in
                                                  ("issued", "refused", "unavailable", "active", "expired", "revoked", "invalid")})
            s[what] += 1

    def issue(self, client):
        now = int(time.time())
        jti = str(uuid.uuid4())
        header = {"typ": "JWT", "alg": "HS256", "kid": "rig"}
        # Claims as an app-only Exchange Online token has them; `aio` and `rh` make it as long.
        body = {"aud": AUDIENCE, "iss": "https://sts.windows.net/%s/" % self.tenant, "iat": now, "nbf": now,
                "exp": now + int(client["lifetime"]), "aio": secrets.token_urlsafe(600), "app_displayname": "ssp-intake",
                "appid": client["client_id"], "appidacr": "1", "azp": client["client_id"], "idp": "https://sts.windows.net/%s/" % self.tenant,
                "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, client["client_id"])), "rh": secrets.token_urlsafe(40),
                "roles": ["IMAP.AccessAsApp", "SMTP.SendAsApp"], "sub": str(uuid.uuid5(uuid.NAMESPACE_DNS, client["client_id"])),
                "tid": self.tenant, "uti": secrets.token_urlsafe(16), "ver": "1.0", "jti": jti}
        signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
            b64url(json.dumps(body, separators=(",", ":")).encode())
        sig = hmac.new(self.key, signing_input.encode("ascii"), hashlib.sha256).digest()
        with self.lock:
            self.issued[jti] = client["client_id"]
        return signing_input + "." + b64url(sig)

    def introspect(self, token):
        """What the token is: (client id or None, "active" / "expired" / "revoked" / "invalid", claims)."""
        parts = token.split(".")
        if len(parts) != 3:
            return None, "invalid", {}
        try:
            sig = unb64url(parts[2])
            good = hmac.new(self.key, (parts[0] + "." + parts[1]).encode("ascii"), hashlib.sha256).digest()
            if not hmac.compare_digest(sig, good):
                return None, "invalid", {}
            claims = json.loads(unb64url(parts[1]))
        except (ValueError, UnicodeError):
            return None, "invalid", {}
        client_id = claims.get("appid")
        with self.lock:
            known = self.issued.get(claims.get("jti")) == client_id and client_id in self.clients
            revoked = claims.get("jti") in self.revoked
        if not known:
            return client_id, "invalid", claims
        if revoked:
            return client_id, "revoked", claims
        now = time.time()
        if claims.get("exp", 0) <= now or claims.get("nbf", 0) > now + 5:
            return client_id, "expired", claims
        return client_id, "active", claims


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "rig-token-endpoint"
    state = None

    def log_message(self, fmt, *args):
        pass

    def note(self, text):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), text))
        sys.stderr.flush()

    def reply(self, status, obj):
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def oauth_error(self, status, error, code, text):
        # Microsoft's shape: the AADSTS code leads the description, which ends with trace lines.
        trace = str(uuid.uuid4())
        self.reply(status, {"error": error,
                            "error_description": "AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s" % (
                                code, text, trace, uuid.uuid4(), time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())),
                            "error_codes": [code], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
                            "trace_id": trace, "correlation_id": str(uuid.uuid4())})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/admin/stats":
            client_id = urllib.parse.parse_qs(url.query).get("client_id", [""])[0]
            with self.state.lock:
                s = dict(self.state.stats.get(client_id, {}))
            return self.reply(200, s)
        self.reply(404, {"error": "not_found"})

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        raw = self.body()
        if url.path == "/introspect":
            return self.introspect(raw)
        if url.path.startswith("/admin/"):
            return self.admin(url.path, raw)
        parts = url.path.strip("/").split("/")
        if len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
            return self.token(parts[0], raw)
        self.reply(404, {"error": "not_found"})

    def token(self, tenant, raw):
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
        st = self.state
        if tenant != st.tenant:
            return self.oauth_error(400, "invalid_request", 90002, "Tenant '%s' not found." % tenant[:60])
        if form.get("grant_type") != "client_credentials":
            return self.oauth_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        client_id = form.get("client_id", "")
        client = st.clients.get(client_id)
        if client is None:
            st.count(client_id, "refused")
            self.note("token refused: unknown client %r" % client_id[:60])
            return self.oauth_error(400, "unauthorized_client", 700016,
                                    "Application with identifier '%s' was not found in the directory." % client_id[:60])
        if not hmac.compare_digest(form.get("client_secret", "").encode(), client["client_secret"].encode()):
            st.count(client_id, "refused")
            self.note("token refused: wrong secret for %s" % client_id)
            return self.oauth_error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                                    "sent in the request is the client secret value, not the client secret ID.")
        if form.get("scope") != SCOPE:
            st.count(client_id, "refused")
            return self.oauth_error(400, "invalid_scope", 1002012, "The provided value for scope %s is not valid."
                                    % form.get("scope", "")[:80])
        if client.get("outage_until", 0) > time.time():
            st.count(client_id, "unavailable")
            return self.reply(503, {"error": "temporarily_unavailable", "error_description": "The rig's outage for this client."})
        token = st.issue(client)
        st.count(client_id, "issued")
        self.note("token issued to %s for %ss" % (client_id, client["lifetime"]))
        self.reply(200, {"token_type": "Bearer", "expires_in": int(client["lifetime"]),
                         "ext_expires_in": int(client["lifetime"]), "access_token": token})

    def introspect(self, raw):
        form = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode("utf-8", "replace")).items()}
        client_id, verdict, claims = self.state.introspect(form.get("token", ""))
        self.state.count(client_id or "", verdict)
        self.note("introspection for %s: %s" % (client_id, verdict))
        if verdict != "active":
            return self.reply(200, {"active": False})
        client = self.state.clients[client_id]
        self.reply(200, {"active": True, "username": client["mailbox"], "client_id": client_id, "scope": SCOPE,
                         "token_type": "Bearer", "exp": claims["exp"], "iat": claims["iat"], "aud": AUDIENCE})

    def admin(self, path, raw):
        try:
            req = json.loads(raw or b"{}")
        except ValueError:
            return self.reply(400, {"error": "not JSON"})
        st = self.state
        client_id = req.get("client_id", "")
        if path == "/admin/clients":
            if not client_id or not req.get("client_secret") or not req.get("mailbox"):
                return self.reply(400, {"error": "client_id, client_secret and mailbox are needed"})
            with st.lock:
                st.clients[client_id] = {"client_id": client_id, "client_secret": req["client_secret"],
                                         "mailbox": req["mailbox"], "lifetime": int(req.get("lifetime", 3600))}
            self.note("client %s set (lifetime %ss)" % (client_id, req.get("lifetime", 3600)))
            return self.reply(200, {"ok": True})
        if client_id not in st.clients:
            return self.reply(404, {"error": "no such client"})
        if path == "/admin/revoke":
            with st.lock:
                gone = [j for j, c in st.issued.items() if c == client_id]
                st.revoked.update(gone)
            self.note("revoked %d tokens of %s" % (len(gone), client_id))
            return self.reply(200, {"revoked": len(gone)})
        if path == "/admin/outage":
            with st.lock:
                st.clients[client_id]["outage_until"] = time.time() + float(req.get("seconds", 0))
            return self.reply(200, {"ok": True})
        self.reply(404, {"error": "not_found"})


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: rig_token_endpoint.py PORT STATE_DIR\n")
        sys.exit(64)
    Handler.state = State(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
