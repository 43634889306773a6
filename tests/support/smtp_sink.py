#!/usr/bin/env python3
"""A real SMTP server for sahifa's integration tests (aiosmtpd).

Usage: smtp_sink.py PORT FOLDER

Accepts every message on 127.0.0.1:PORT and writes each one into FOLDER as NNNNN.eml (the
raw message) and NNNNN.json ({"to", "subject", "text", "html", "headers"} decoded with the
standard library). Prints READY once listening and stops when stdin closes, so the server
never outlives the test process that started it.
"""

import itertools
import json
import os
import sys
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count()

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        plain = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        record = {
            "to": list(envelope.rcpt_tos),
            "from": envelope.mail_from,
            "subject": str(msg.get("subject", "")),
            "text": plain.get_content() if plain is not None else None,
            "html": html.get_content() if html is not None else None,
            "headers": [[k, str(v)] for k, v in msg.items()],
        }
        base = os.path.join(self.folder, "%05d" % n)
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        with open(base + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(base + ".tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    folder = sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
