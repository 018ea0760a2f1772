"""A side's end of the harness's control protocol (src/bench/control.ts), spoken in Python: hello,
ready, go, report and error as newline-delimited JSON over the case's Unix socket; the side's marks,
read with time.monotonic_ns() (CLOCK_MONOTONIC, the clock of Node's process.hrtime.bigint(), so
both languages' marks share one clock); and its report, whose usage has the fields and types of
the TypeScript SideUsage (test/bench.python-contract.test.ts holds the two together).
"""

import json
import os
import resource
import socket
import time

from ipclab_payload import INT32_KIND, np


def side_usage():
    """This process's resource use, as the TypeScript SideUsage has it (src/bench/side-usage.ts)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "maxRssBytes": used.ru_maxrss * 1024,
        "userCpuSeconds": used.ru_utime,
        "systemCpuSeconds": used.ru_stime,
        "minorPageFaults": used.ru_minflt,
        "majorPageFaults": used.ru_majflt,
        "sharedProcess": False,
    }


def side_report(role, marks, spec, **extra):
    """What a side sends the harness at its end (SideReport in src/bench/side.ts)."""
    report = {
        "role": role,
        "pid": os.getpid(),
        "threadId": 0,
        "marks": {name: str(value) for name, value in marks.items()},
        "usage": side_usage(),
    }
    notes = []
    if spec.get("payload") == "int32" and np is None:
        notes.append(f"Python int32 payload as {INT32_KIND}")
    if np is not None and os.environ.get("NUMPY_MADVISE_HUGEPAGE") is not None:
        # The labelled variant: numpy's huge-page request switched (0: off), so its page faults count as Node's do.
        notes.append(f"NUMPY_MADVISE_HUGEPAGE={os.environ['NUMPY_MADVISE_HUGEPAGE']}")
    if notes:
        report["note"] = "; ".join(notes)
    report.update(extra)
    return report


class Side:
    """A side's end of the control channel, its marks and its report."""

    def __init__(self, info, role):
        self.info = info
        self.spec = info["spec"]
        self.role = role
        self.marks = {}
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(info["controlPath"])
        self.lines = self.sock.makefile("r", encoding="utf-8")
        self.send({"type": "hello", "role": role, "pid": os.getpid()})

    def send(self, message):
        self.sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

    def mark(self, name):
        self.marks.setdefault(name, time.monotonic_ns())

    def ready(self):
        self.send({"type": "ready", "role": self.role})

    def wait_for_go(self):
        for line in self.lines:
            if line.strip() and json.loads(line).get("type") == "go":
                return
        raise RuntimeError("the harness closed the control channel before go")

    def report(self, **extra):
        self.send({"type": "report", "role": self.role, "report": side_report(self.role, self.marks, self.spec, **extra)})

    def error(self, error):
        try:
            self.send({"type": "error", "role": self.role, "message": f"{type(error).__name__}: {error}"})
        except OSError:
            pass

    def close(self):
        self.lines.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        """A failure goes to the harness as an error message (then propagates); the channel closes."""
        if error is not None:
            self.error(error)
        self.close()
        return False
