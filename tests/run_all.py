#!/usr/bin/env python3
"""`make test`: every test layer in one run, one verdict.

Runs the host unit tests (each binary in build/tests/host/ and each
tests/host/test_*.py script), the user-mode
test programs on Linux (tests/user/run_host.py), the style
check (tools/check-style), and the QEMU system tests (tests/system/run.py,
which also runs the in-kernel self-tests). Every result prints one line;
the run ends with the line "N passed, N failed" and exits non-zero on any
failure.

Usage: run_all.py [--long] [-j N]
See: tests/README.md
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))


def host_tests():
    results = []
    for exe in sorted(glob.glob(os.path.join(ROOT, "build", "tests", "host",
                                             "test_*"))):
        if not os.access(exe, os.X_OK) or exe.endswith((".d", ".o")):
            continue
        name = os.path.basename(exe)
        p = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
        lines = re.findall(r"^(PASS|FAIL): (\S+)", p.stdout, re.M)
        for verdict, test in lines:
            print(f"{verdict}: host/{name}/{test}")
            results.append(verdict == "PASS")
        if p.returncode != 0 or not lines:
            sys.stdout.write(p.stdout[-3000:] + p.stderr[-3000:])
            if not any(v == "FAIL" for v, _ in lines):
                print(f"FAIL: host/{name}: exit status {p.returncode}")
                results.append(False)
    return results


def host_python_tests():
    """The host tests written in Python: tests/host/test_*.py."""
    results = []
    for script in sorted(glob.glob(os.path.join(ROOT, "tests", "host",
                                                "test_*.py"))):
        name = os.path.basename(script)
        p = subprocess.run(["/usr/bin/python3", script], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
        lines = re.findall(r"^(PASS|FAIL): (\S+)", p.stdout, re.M)
        for verdict, test in lines:
            print(f"{verdict}: host/{name}/{test}")
            results.append(verdict == "PASS")
        if p.returncode != 0 and not any(v == "FAIL" for v, _ in lines):
            sys.stdout.write(p.stdout[-3000:] + p.stderr[-3000:])
            print(f"FAIL: host/{name}: exit status {p.returncode}")
            results.append(False)
    return results


def user_tests_on_host():
    """The user-mode test programs, run on Linux (their reference side)."""
    p = subprocess.run([sys.executable,
                        os.path.join(ROOT, "tests", "user", "run_host.py")],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    lines = re.findall(r"^(PASS|FAIL): (\S+)", p.stdout, re.M)
    for verdict, test in lines:
        print(f"{verdict}: {test}")
    if p.returncode != 0 and not any(v == "FAIL" for v, _ in lines):
        sys.stdout.write(p.stdout[-3000:] + p.stderr[-3000:])
        print("FAIL: user/host: exit status", p.returncode)
        return [v == "PASS" for v, _ in lines] + [False]
    return [v == "PASS" for v, _ in lines]


def style_check():
    p = subprocess.run([os.path.join(ROOT, "tools", "check-style")], cwd=ROOT,
                       capture_output=True, text=True)
    if p.returncode == 0:
        print("PASS: style")
        return [True]
    sys.stdout.write(p.stdout[-4000:] + p.stderr[-2000:])
    print("FAIL: style")
    return [False]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--long", action="store_true")
    ap.add_argument("-j", type=int, default=None)
    a = ap.parse_args()
    start = time.monotonic()
    results = host_tests()
    results += host_python_tests()
    results += user_tests_on_host()
    results += style_check()
    import run as system_run
    results += [ok for _, ok, _ in system_run.run(a.j, a.long)]
    passed = sum(results)
    failed = len(results) - passed
    print(f"make test took {time.monotonic() - start:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
