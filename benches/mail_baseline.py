#!/usr/bin/python3
"""Baselines for `cargo bench --bench mail` (BENCHMARKS.md).

  mail_baseline.py smtp PORT DIR     send every DIR/*.eml to 127.0.0.1:PORT with a plain smtplib
                                     loop, one message after the other on one connection;
                                     prints the seconds taken
  mail_baseline.py pdf N LABEL.json  draw the label (text in DejaVu Sans + reportlab's own QR
                                     code) as a one-page PDF N times; prints seconds per ticket
"""
import email
import email.policy
import glob
import io
import json
import os
import smtplib
import sys
import time


def smtp(port, directory):
    messages = []
    for path in sorted(glob.glob(os.path.join(directory, "*.eml"))):
        raw = open(path, "rb").read()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        messages.append((parsed["From"].addresses[0].addr_spec,
                         [parsed["To"].addresses[0].addr_spec], raw))
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", int(port)) as client:
        for sender, recipients, raw in messages:
            client.sendmail(sender, recipients, raw)
    print(time.perf_counter() - start)


def pdf(n, label_path):
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font_path = os.path.join(os.path.dirname(__file__), "..", "assets", "fonts", "DejaVuSans.ttf")
    pdfmetrics.registerFont(TTFont("DejaVuSans", font_path))
    label = json.load(open(label_path))
    dot = 72.0 / 203.0
    width, height = label["width_dots"] * dot, label["height_dots"] * dot

    def draw():
        out = io.BytesIO()
        page = canvas.Canvas(out, pagesize=(width, height))
        for element in label["elements"]:
            if element["kind"] == "text":
                size = element["size_points"]
                x = element["x_dots"] * dot
                y = height - element["y_dots"] * dot - size * 0.93
                page.setFont("DejaVuSans", size)
                if element["align"] == "center":
                    page.drawCentredString(x, y, element["text"])
                elif element["align"] == "right":
                    page.drawRightString(x, y, element["text"])
                else:
                    page.drawString(x, y, element["text"])
            elif element["kind"] == "qr":
                side = element["modules"] * element["module_dots"] * dot
                widget = QrCodeWidget(element["data"], barBorder=0)
                x0, y0, x1, y1 = widget.getBounds()
                drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
                drawing.add(widget)
                renderPDF.draw(drawing, page, element["x_dots"] * dot,
                               height - element["y_dots"] * dot - side)
            elif element["kind"] == "rule":
                page.rect(element["x_dots"] * dot, height - element["y_dots"] * dot,
                          element["length_dots"] * dot, element["thickness_dots"] * dot,
                          stroke=0, fill=1)
        page.showPage()
        page.save()
        return out.getvalue()

    draw()  # warm-up (font loading)
    start = time.perf_counter()
    for _ in range(int(n)):
        draw()
    print((time.perf_counter() - start) / int(n))


if __name__ == "__main__":
    {"smtp": smtp, "pdf": pdf}[sys.argv[1]](*sys.argv[2:])
