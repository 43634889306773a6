#!/usr/bin/env python3
"""Verifies the DKIM signature of a message with dkimpy (python3-dkim).

Usage: dkim_verify.py MESSAGE.eml PUBLIC_KEY.pem

The public key stands in for the DNS TXT record of the signing selector (no network). Prints
"OK h=<signed headers>" and exits 0 when the signature verifies, else prints why and exits 1.
"""

import base64
import re
import sys

import dkim


def main():
    raw = open(sys.argv[1], "rb").read()
    pem = open(sys.argv[2], "rb").read().decode()
    body = "".join(l for l in pem.splitlines() if "-----" not in l)
    record = b"v=DKIM1; k=rsa; p=" + body.encode()

    def dns(name, timeout=5):
        return record

    ok = dkim.verify(raw, dnsfunc=dns)
    sig = re.search(rb"DKIM-Signature:(.*?)\r\n(?=\S)", raw, re.S)
    h = b""
    if sig:
        m = re.search(rb"\bh=([^;]*)", sig.group(1).replace(b"\r\n", b""))
        h = m.group(1).replace(b" ", b"").replace(b"\t", b"") if m else b""
    print(("OK" if ok else "FAIL") + " h=" + h.decode())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
