#!/usr/bin/env python3
"""Runs the differential user tests on the host Linux and keeps the results.

Builds the programs (`make user-tests`), then runs each
build/tests/user/bin/test_* in two fresh scratch directories, one under the
system's temporary folder and one under build/, so that a line that depends
on the filesystem shows up as a difference before Ember is ever compared.
Static-PIE builds (test_*-pie) must give the same results as their static
twins. test_terminal runs on a pseudo-terminal of Ember's console size
(128x48, made with the pty module) and this script plays its keyboard: it
answers each "READY <step>" the program writes with the bytes listed in
TERMINAL_KEYS. The results of the first run are saved as
build/tests/user/host/<test>.out: the reference the Ember run (later, in
QEMU on the FAT32 disk) is compared with, through compare() below, which
skips the lines marked "~ ".

Usage: run_host.py [--no-build] [--keep] [TEST...]
Prints one PASS/FAIL line per program and ends with "N passed, N failed".
See: tests/user/README.md, docs/syscalls.md
"""
import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, "build", "tests", "user", "bin")
OUT = os.path.join(ROOT, "build", "tests", "user", "host")
TIMEOUT_S = 120

# Ember's console: 1024x768 with an 8x16 font.
CONSOLE_ROWS, CONSOLE_COLS = 48, 128

# What the keyboard "types" at each step of test_terminal.c.
TERMINAL_KEYS = {
    b"READY canon": b"abx\x7fc\r",  # DEL erases the x; CR becomes NL
    b"READY eof": b"\x04",  # ctrl-D at the start of a line
    b"READY raw": b"\x1b[A\r",  # up arrow and CR, untouched in raw mode
}
# The same for each program run on a terminal (test_terminal*).
PTY_KEYS = {
    "test_terminal": TERMINAL_KEYS,
    "test_terminal_jobs": {b"READY susp": b"\x1a"},  # ctrl-z: SIGTSTP
}


def checked_lines(text):
    """The lines compared: all but "~ " (may differ) and "# N cases"."""
    return [l for l in text.splitlines()
            if not l.startswith("~ ") and not re.fullmatch(r"# \d+ cases", l)]


def compare(expected, got):
    """Lists the differences between two result files, as readable lines."""
    a, b = checked_lines(expected), checked_lines(got)
    diffs = []
    for i in range(max(len(a), len(b))):
        la = a[i] if i < len(a) else "(missing)"
        lb = b[i] if i < len(b) else "(missing)"
        if la != lb:
            diffs.append(f"  expected: {la}\n  got:      {lb}")
    return diffs


def run_plain(exe, out_path, cwd):
    """Runs a test with /dev/null as its terminal-less stdin."""
    p = subprocess.run([exe, out_path], cwd=cwd, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=TIMEOUT_S)
    return p.returncode, p.stdout + p.stderr


def run_on_pty(exe, out_path, cwd, keys):
    """Runs a test as a session leader on a 128x48 pseudo-terminal, typing
    keys ({marker: bytes}) when the program prints each marker."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ,
                struct.pack("HHHH", CONSOLE_ROWS, CONSOLE_COLS, 0, 0))

    def controlling_tty():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen([exe, out_path], cwd=cwd, stdin=slave, stdout=slave,
                         stderr=slave, start_new_session=True,
                         preexec_fn=controlling_tty)
    os.close(slave)
    seen, answered = b"", set()
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.5)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            for marker, typed in keys.items():
                if marker in seen and marker not in answered:
                    answered.add(marker)
                    os.write(master, typed)
        elif p.poll() is not None:
            break
    try:
        rc = p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    os.close(master)
    return rc, seen


def run_once(name, exe, scratch_parent):
    """Runs one program in a new scratch dir; returns (ok, results, log)."""
    scratch = tempfile.mkdtemp(prefix=f"{name}-", dir=scratch_parent)
    out_path = scratch + ".out"
    try:
        if name in PTY_KEYS:
            rc, log = run_on_pty(exe, out_path, scratch, PTY_KEYS[name])
        else:
            rc, log = run_plain(exe, out_path, scratch)
        results = ""
        if os.path.exists(out_path):
            with open(out_path) as f:
                results = f.read()
        return rc == 0 and results.endswith(" cases\n"), results, log
    except subprocess.TimeoutExpired:
        return False, "", b"timed out"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if os.path.exists(out_path):
            os.remove(out_path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("tests", nargs="*")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["make", "-s", "-C", ROOT, "user-tests"], check=True)
    os.makedirs(OUT, exist_ok=True)
    in_build = os.path.join(ROOT, "build", "tests", "user", "scratch")
    os.makedirs(in_build, exist_ok=True)

    names = sorted(n for n in os.listdir(BIN)
                   if n.startswith("test_") and not n.endswith("-pie"))
    if a.tests:
        names = [n for n in names if n in a.tests]
    passed = failed = cases = 0
    for name in names:
        exe = os.path.join(BIN, name)
        ok, ref, log = run_once(name, exe, None)
        problems = [] if ok else [f"  exit/results bad; output:\n{log[-2000:]!r}"]
        if ok:
            ok2, other, _ = run_once(name, exe, in_build)
            problems += [] if ok2 else ["  second run failed"]
            problems += compare(ref, other)
            pie = exe + "-pie"
            if os.path.exists(pie):
                ok3, pie_out, _ = run_once(name + "-pie", pie, None)
                problems += [] if ok3 else ["  static-PIE run failed"]
                problems += ["  static-PIE: " + d for d in compare(ref, pie_out)]
        with open(os.path.join(OUT, name + ".out"), "w") as f:
            f.write(ref)
        n = len(checked_lines(ref))
        cases += n
        if problems:
            failed += 1
            print(f"FAIL: user/host/{name} ({n} cases)")
            print("\n".join(problems))
        else:
            passed += 1
            print(f"PASS: user/host/{name} ({n} cases)")
    print(f"{cases} checked cases; results in {os.path.relpath(OUT, ROOT)}/")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not names else 0


if __name__ == "__main__":
    sys.exit(main())
