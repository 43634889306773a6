"""What the Python scripts/bench-* share: a free loopback port, and a `sahifa serve` started
on it whose /healthz answered.

    sys.path.insert(0, str(Path(__file__).resolve().parent)); import benchlib
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(binary, data, env, port=None, stderr=subprocess.DEVNULL):
    """Starts `BINARY --data DATA serve` on 127.0.0.1 (stdout discarded, stderr to STDERR);
    returns the process and its base URL. Call wait_healthy before using it."""
    port = port or free_port()
    proc = subprocess.Popen(
        [str(binary), "--data", str(data), "serve", "--addr", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(base, proc=None, seconds=120, label="serve"):
    """Waits until BASE/healthz answers 200; exits the script when it does not within
    SECONDS or when PROC ended first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            sys.exit(f"[{label}] serve exited with {proc.returncode} before answering")
        time.sleep(0.1)
    sys.exit(f"[{label}] serve did not come up at {base} within {seconds} s")


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid, seconds=180, busy=0.05):
    """Waits until the process uses under BUSY of a core over a second (its start-up work,
    such as serve's build of the For-you features, is done); returns the seconds waited."""
    start = time.monotonic()
    last = cpu_seconds(pid)
    while time.monotonic() - start < seconds:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        if now - last < busy:
            break
        last = now
    return time.monotonic() - start


def serve(binary, data, env, label="serve", seconds=120):
    """start_serve, then wait_healthy: a serving process and its base URL."""
    proc, base = start_serve(binary, data, env)
    wait_healthy(base, proc, seconds, label)
    return proc, base
