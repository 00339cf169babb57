#!/usr/bin/env python3
"""A Danske Bank Verkkomaksu v4 simulator for the tests, written from DESIGN.md section 4 and the
manual, independently of the Rust code (hashlib, http.server).

  POST /vemaha   the payment page: checks the request TARKISTE, then redirects the browser to
                 OKURL with a signed reply (mode pay), to VIRHEURL (cancel), or to OKURL with a
                 reply signed by a wrong key (forge) or with a changed amount (tamper).
  POST /HB       the payment query: checks verifycode; answers 000 for paid references, else 001,
                 or the forced return code.
  GET /control?mode=...&code=...   sets the mode and a forced query return code.
  GET /log       what was received, as JSON lines.
Prints "listening PORT" when ready.
"""
import hashlib
import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = sys.argv[1]
MERCHANT = sys.argv[2]
STATE = {"mode": "pay", "code": None, "paid": {}, "log": []}
LOCK = threading.Lock()


def sha(*parts):
    return hashlib.sha256("".join(p + "&" for p in parts).encode()).hexdigest()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body="", headers=()):
        data = body.encode()
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def form(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length).decode("ascii")
        return dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/control":
            query = dict(urllib.parse.parse_qsl(url.query))
            with LOCK:
                STATE["mode"] = query.get("mode", STATE["mode"])
                STATE["code"] = query.get("code") or None
            return self.reply(200, "ok")
        if url.path == "/log":
            with LOCK:
                return self.reply(200, "\n".join(json.dumps(e) for e in STATE["log"]))
        self.reply(404, "not found")

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        form = self.form()
        with LOCK:
            STATE["log"].append({"path": path, "form": form})
            mode, code = STATE["mode"], STATE["code"]
        if path == "/vemaha":
            f = form
            expected = sha(SECRET, f["SUMMA"], f["VIITE"], f["KNRO"], f["VERSIO"], f["VALUUTTA"],
                           f["OKURL"], f["VIRHEURL"], f["ERAPAIVA"])
            if f.get("TARKISTE") != expected or f["KNRO"] != MERCHANT or f.get("ALG") != "03":
                return self.reply(400, "request MAC does not match")
            if mode == "cancel":
                return self.reply(302, headers=[("Location", f["VIRHEURL"])])
            amount = f["SUMMA"].replace(".", ",")
            reply_amount = amount
            key = SECRET
            if mode == "forge":
                key = "not-the-merchant-key"
            if mode == "tamper":
                reply_amount = "0,01"
            if mode == "pay":
                with LOCK:
                    STATE["paid"][f["VIITE"]] = amount
            mac = sha(key, f["VIITE"], amount, "0", f["KNRO"], "4", "EUR", f["ERAPAIVA"]).upper()
            reply = urllib.parse.urlencode([
                ("KNRO", f["KNRO"]), ("VALUUTTA", "EUR"), ("VIITE", f["VIITE"]),
                ("SUMMA", reply_amount), ("VERSIO", "4"), ("STATUS", "0"), ("TARKISTE", mac),
                ("MTAPA", "KT"), ("ERAPAIVA", f["ERAPAIVA"]),
            ])
            separator = "&" if "?" in f["OKURL"] else "?"
            return self.reply(302, headers=[("Location", f["OKURL"] + separator + reply)])
        if path == "/HB":
            f = form
            if f.get("verifycode") != sha(SECRET, f.get("merchantid", ""), f.get("refno", "")):
                return self.reply(200, "ReturnCode=009&ReturnText=Verify code error")
            if code is not None and code != "000":
                return self.reply(200, f"ReturnCode={code}&ReturnText=Forced")
            with LOCK:
                amount = STATE["paid"].get(f["refno"])
            if code == "000" and amount is None:
                amount = "1,00"
            if amount is None:
                return self.reply(200, "ReturnCode=001&ReturnText=No such reference")
            return self.reply(200, "ReturnCode=000&ReturnText=OK&Refno=" + f["refno"]
                              + "&MerchantID=Test Shop&Amount=" + amount + "&Currency=EUR&Total="
                              + amount + "&PayType=KT&PayStatus=Settled")
        self.reply(404, "not found")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("listening", server.server_address[1], flush=True)
server.serve_forever()
