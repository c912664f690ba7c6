"""Headless Chromium (the Debian package) driven over the DevTools protocol through a pipe
(--remote-debugging-pipe: commands on fd 3, replies on fd 4, each a JSON text ended by a NUL byte), so
the bench needs no websocket library and downloads no browser. Used by bench/report_scale.py to time
opening and filtering report.html."""

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def _high(fd):
    """The same pipe end on a descriptor above 10, so placing the child's ends on 3 and 4 clobbers nothing."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Chromium:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="webcert-bench-chromium-")  # a fresh profile each time
        to_child, self._send = (_high(fd) for fd in os.pipe())
        self._receive, from_child = (_high(fd) for fd in os.pipe())

        def place():
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", "--user-data-dir=%s" % self.profile, "about:blank"],
            preexec_fn=place, pass_fds=(3, 4, to_child, from_child), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buffer, self._next, self._events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)

    def _message(self):
        while b"\0" not in self._buffer:
            chunk = os.read(self._receive, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        text, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(text)

    def call(self, method, session=False, **params):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply["result"]
            self._events.append(reply)

    def wait_event(self, method, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(index)
            left = deadline - time.monotonic()
            if left <= 0 or (b"\0" not in self._buffer and not select.select([self._receive], [], [], left)[0]):
                raise RuntimeError("no %s within %d s" % (method, timeout))
            self._events.append(self._message())

    def open(self, url, timeout=120):
        """Seconds from asking for the page to its load event (the report's script has run by then)."""
        self._events.clear()
        started = time.perf_counter()
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired", timeout)
        return time.perf_counter() - started

    def evaluate(self, expression):
        reply = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise RuntimeError("page script failed: %s" % reply["exceptionDetails"])
        return reply["result"].get("value")

    def close(self):
        try:  # no waiting for the reply: a renderer still busy with a page must not keep us here
            self._next += 1
            os.write(self._send, json.dumps({"id": self._next, "method": "Browser.close", "params": {}}).encode() + b"\0")
        except OSError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._send)
        os.close(self._receive)
        shutil.rmtree(self.profile, ignore_errors=True)
