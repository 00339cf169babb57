#!/usr/bin/python3
"""Reads a received message with independent tools and prints what it found as JSON:
headers, the MIME structure, the DKIM verdict of dkimpy (the public key comes from a file
instead of DNS), and the ticket codes zbarimg reads from the PDF attachment's pages
(rendered by pdftoppm)."""
import email
import email.policy
import json
import os
import subprocess
import sys
import tempfile

import dkim


def main():
    eml_path, txt_record_path = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
    raw = open(eml_path, "rb").read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    result = {
        "from": str(message["From"]),
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "message_id": str(message["Message-ID"]),
        "content_type": message.get_content_type(),
        "parts": [],
        "dkim_signed": "DKIM-Signature" in message,
        "dkim_valid": None,
        "qr_codes": [],
        "pdf_pages": None,
        "html": None,
        "text": None,
    }
    if txt_record_path:
        record = open(txt_record_path, "rb").read().strip()
        result["dkim_valid"] = bool(dkim.verify(raw, dnsfunc=lambda name, timeout=5: record))
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        result["parts"].append({"type": kind, "filename": part.get_filename()})
        if kind == "text/html":
            result["html"] = part.get_content()
        elif kind == "text/plain":
            result["text"] = part.get_content()
        elif kind == "application/pdf":
            with tempfile.TemporaryDirectory() as work:
                pdf = os.path.join(work, "t.pdf")
                open(pdf, "wb").write(part.get_payload(decode=True))
                info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True)
                for line in info.stdout.splitlines():
                    if line.startswith("Pages:"):
                        result["pdf_pages"] = int(line.split()[1])
                text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True)
                result["pdf_text"] = text.stdout
                subprocess.run(["pdftoppm", "-r", "200", "-png", pdf, os.path.join(work, "page")],
                               check=True)
                for name in sorted(os.listdir(work)):
                    if name.endswith(".png"):
                        scan = subprocess.run(["zbarimg", "--raw", "-q", os.path.join(work, name)],
                                              capture_output=True, text=True)
                        result["qr_codes"].extend(scan.stdout.split())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
