"""System tests of the terminal: keys typed through QMP and bytes sent on
COM1 reach a reader of /dev/console as Linux's line discipline would give
them, with the echo and output processing checked byte for byte.

The guest runs `ktest=tty_session` (tests/kernel/test_tty.c), which prints
each read in hex: canonical lines until ctrl-D, then raw bytes until a 'q',
then writes "A\\nB\\n" with OPOST and "C\\nD\\n" without.

See: docs/storage.md, docs/input.md
"""
import re
import time

from harness import EXIT_PASS, Guest, TestFailure, check, systest


def raw_serial(g):
    """The serial bytes as sent, carriage returns included."""
    with g._cond:
        return bytes(g._buf)


def hexes(g, kind, start):
    return "".join(re.findall(rf"^tty: {kind} ([0-9a-f]*)$", g.serial[start:],
                              re.M))


def wait_hex(g, kind, want, start, timeout=20):
    deadline = time.monotonic() + timeout
    while hexes(g, kind, start) != want:
        if not want.startswith(hexes(g, kind, start)) or \
                time.monotonic() > deadline:
            raise TestFailure(f"{kind}: got {hexes(g, kind, start)!r}, "
                              f"want {want!r}")
        time.sleep(0.05)


@systest("terminal_lines_echo_keys_raw_and_output")
def _():
    with Guest(cmdline="ktest=tty_session") as g:
        start = g.wait_serial(r"^tty: ready$", timeout=60).end()
        g.send_serial(b"hello\x7f\x7fp!\r")
        wait_hex(g, "line", b"help!\n".hex(), start)
        check(b"hello\x08 \x08\x08 \x08p!\r\n" in raw_serial(g),
              "echo of the edited line differs")
        for k in ("l", "s", "ret"):
            g.tap(k)
        wait_hex(g, "line", b"help!\nls\n".hex(), start)
        for k in ("a", "b", "backspace", "ret"):
            g.tap(k)
        wait_hex(g, "line", b"help!\nls\na\n".hex(), start)
        g.send_serial(b"\x04")
        m = g.wait_serial(r"^tty: raw$", timeout=20)
        g.tap("up")
        g.tap("f5")
        wait_hex(g, "bytes", b"\x1b[A\x1b[15~".hex(), m.end())
        g.send_serial(b"x\r")
        wait_hex(g, "bytes", b"\x1b[A\x1b[15~x\r".hex(), m.end())
        g.send_serial(b"q")
        g.wait_serial(r"^tty: done$", timeout=20)
        g.expect_exit(EXIT_PASS, timeout=20)
        out = raw_serial(g)
    check(b"A\r\nB\r\n" in out, "OPOST/ONLCR: no \\r\\n for \\n")
    check(b"B\r\nC\nD\n" in out,
          "without OPOST a \\n must be a bare line feed")


@systest("tty_ktests", timeout=200)
def _():
    """The terminal's and /proc's in-kernel tests (tests/kernel/test_tty.c)."""
    from harness import run_ktests
    return run_ktests("tty_*", timeout=180)
