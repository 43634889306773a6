#!/usr/bin/env python3
"""A real SMTP server for sahifa's integration tests (aiosmtpd).

Usage: smtp_sink.py PORT FOLDER [--discard]

Accepts every message on 127.0.0.1:PORT and writes each one into FOLDER as NNNNN.eml (the
raw message) and NNNNN.json ({"to", "subject", "text", "html", "headers"} decoded with the
standard library). Prints READY once listening and stops when stdin closes, so the server
never outlives the test process that started it.

Refusals: FOLDER/replies.json (read at every RCPT TO, so a test may change it while the
server runs) maps a recipient to {"reply": "550 5.1.1 No such mailbox", "times": N}; that
recipient is refused with that reply N times (every time when "times" is absent), then
accepted. Each refusal is appended to FOLDER/refused.jsonl as {"to", "reply"}.

With --discard (benchmarks) every message is accepted and dropped unread; FOLDER/count
holds how many arrived, written when the server stops.
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
        self.refused = {}

    def rule(self, address):
        try:
            with open(os.path.join(self.folder, "replies.json"), encoding="utf-8") as f:
                rules = json.load(f)
        except (OSError, ValueError):
            return None
        rule = rules.get(address)
        if not rule:
            return None
        times = rule.get("times")
        if times is not None and self.refused.get(address, 0) >= times:
            return None
        return rule.get("reply")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rule(address)
        if reply:
            self.refused[address] = self.refused.get(address, 0) + 1
            with open(os.path.join(self.folder, "refused.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps({"to": address, "reply": reply}) + "\n")
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

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


class Discard:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    folder = sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    handler = Discard() if "--discard" in sys.argv[3:] else Sink(folder)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()
        if isinstance(handler, Discard):
            with open(os.path.join(folder, "count"), "w") as f:
                f.write("%d\n" % handler.count)


if __name__ == "__main__":
    main()
