#!/usr/bin/python3
"""A local HTTP SMS gateway for the tests: records every request as OUT/NNNN.json
(method, path, headers, body) and answers with --status and a small JSON body.
Prints "ready" once it listens; stops on SIGTERM."""
import argparse
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--status", type=int, default=200)
    args = parser.parse_args()
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        def handle_request(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            count[0] += 1
            with open(os.path.join(args.out, "%04d.json" % count[0]), "w") as f:
                json.dump({"method": self.command, "path": self.path,
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "body": body}, f)
            reply = json.dumps({"id": count[0]} if args.status < 400
                               else {"error": "invalid sender id"}).encode()
            self.send_response(args.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = handle_request
        do_POST = handle_request

        def log_message(self, *_):
            pass

    server = HTTPServer(("127.0.0.1", args.port), Handler)
    print("ready", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
