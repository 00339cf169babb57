#!/usr/bin/python3
"""A real SMTP server for the mail tests: aiosmtpd on loopback.

Every accepted message is written to OUT/NNNN.eml (the raw bytes as received, with the
envelope in OUT/NNNN.json). Options give STARTTLS or implicit TLS, AUTH, rejected recipients
and temporary failures, so the tests can drive every branch of the client, and a server that
closes a connection after some messages (silently, or with 421 at the next MAIL). Each message's
JSON also says which connection (the client's port) brought it and how many NOOPs the server had
answered by then.
Prints "ready" on standard output once it accepts connections; stops on SIGTERM.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out, rejects, temp_failures, close_after, limit):
        self.out = out
        self.rejects = rejects
        self.temp_failures = temp_failures
        self.close_after = close_after
        self.limit = limit
        self.lock = threading.Lock()
        self.count = 0
        self.noops = 0

    async def handle_NOOP(self, server, session, envelope, arg):
        with self.lock:
            self.noops += 1
        return "250 OK"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.limit and getattr(session, "messages", 0) >= self.limit:
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.7.0 Too many messages on this connection, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejects:
            return self.rejects[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.temp_failures > 0:
                self.temp_failures -= 1
                return "451 4.3.0 Mail server temporarily busy, try again later"
            self.count += 1
            n = self.count
            noops = self.noops
        session.messages = getattr(session, "messages", 0) + 1
        if self.close_after and session.messages >= self.close_after:
            # Closed silently once the reply is out, as a relay's idle or per-connection limit does.
            asyncio.get_running_loop().call_soon(server.transport.close)
        path = os.path.join(self.out, "%04d" % n)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(path + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None
                       or server.transport.get_extra_info("ssl_object") is not None,
                       "auth": session.authenticated,
                       "peer_port": session.peer[1], "noops_before": noops}, f)
        os.rename(path + ".tmp", path + ".eml")
        return "250 2.0.0 Ok: queued as %04d" % n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tls", choices=["none", "starttls", "tls"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", help="USER:PASSWORD, required before MAIL")
    parser.add_argument("--reject", action="append", default=[],
                        help="ADDRESS=REPLY, e.g. 'x@example.fi=550 5.1.1 no such user'")
    parser.add_argument("--temp-fail", type=int, default=0,
                        help="answer the first N messages with 451")
    parser.add_argument("--close-after", type=int, default=0,
                        help="close a connection silently after its Nth message")
    parser.add_argument("--limit", type=int, default=0,
                        help="answer a connection's MAIL after its Nth message with 421 and close")
    args = parser.parse_args()

    rejects = dict(item.split("=", 1) for item in args.reject)
    handler = Handler(args.out, rejects, args.temp_fail, args.close_after, args.limit)
    context = None
    if args.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == user.encode()
                  and auth_data.password == password.encode())
            # handled=False: aiosmtpd then answers 535 itself (True would leave the client hanging).
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=args.tls != "none")
    if args.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.tls == "tls":
        kwargs.update(ssl_context=context)

    controller = Controller(handler, hostname="127.0.0.1", port=args.port,
                            server_hostname="localhost", **kwargs)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
