#!/usr/bin/env python3
"""`make test`: every test layer in one run, one verdict.

Runs the host unit tests (each binary in build/tests/host/) and the QEMU
system tests (tests/system/run.py, which also runs the in-kernel
self-tests): these exercise Ember, and only they are counted in the
closing line "N passed, N failed". Other runs check the tests or the tree
rather than Ember, so they print under their own heading and are not
counted as passes, though a failure among them still fails the run: the
user-mode test programs on Linux (tests/user/run_host.py, which make the
reference outputs Ember's runs are compared with), the checks of the Quake
test game (tests/host/test_*.py), and the repository checks
(tools/check-style, and tools/check-layers for the kernel's floors). Each
result prints one line with its duration; the five slowest are listed at
the end. Exits non-zero on any failure.

--load N starts N CPU-bound processes on the host beside the suite (`make
test-loaded` uses two): a test that fails only under load is a bug in the
test or in Ember, never a reason to retry (tests/README.md).

Usage: run_all.py [--long] [-j N] [--load N]
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


TIMINGS = []  # (name, seconds) of every timed step, for the slowest five


def host_tests():
    results = []
    for exe in sorted(glob.glob(os.path.join(ROOT, "build", "tests", "host",
                                             "test_*"))):
        if not os.access(exe, os.X_OK) or exe.endswith((".d", ".o")):
            continue
        name = os.path.basename(exe)
        t0 = time.monotonic()
        p = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
        took = time.monotonic() - t0
        TIMINGS.append((f"host/{name}", took))
        lines = re.findall(r"^(PASS|FAIL): (\S+)", p.stdout, re.M)
        print(f"host/{name}: {len(lines)} tests in {took:.1f}s")
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
    """The host tests written in Python: tests/host/test_*.py (today the
    Quake test game's generator and data: checks of the tests' inputs, so
    run_all counts them with the checks, not with Ember's tests)."""
    results = []
    for script in sorted(glob.glob(os.path.join(ROOT, "tests", "host",
                                                "test_*.py"))):
        name = os.path.basename(script)
        t0 = time.monotonic()
        p = subprocess.run(["/usr/bin/python3", script], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
        took = time.monotonic() - t0
        TIMINGS.append((f"host/{name}", took))
        lines = re.findall(r"^(PASS|FAIL): (\S+)", p.stdout, re.M)
        print(f"host/{name}: {len(lines)} tests in {took:.1f}s")
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
    t0 = time.monotonic()
    p = subprocess.run([sys.executable,
                        os.path.join(ROOT, "tests", "user", "run_host.py")],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    TIMINGS.append(("reference runs on Linux", time.monotonic() - t0))
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


def layer_check():
    """tools/check-layers: no kernel file calls a higher floor unannounced."""
    p = subprocess.run([os.path.join(ROOT, "tools", "check-layers")],
                       cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(p.stdout[-4000:] + p.stderr[-2000:])
    print(f"{'PASS' if p.returncode == 0 else 'FAIL'}: layers")
    return [p.returncode == 0]


def start_load(n):
    """n busy processes in their own process group, ended by stop_load."""
    procs = []
    for _ in range(n):
        procs.append(subprocess.Popen(
            [sys.executable, "-c", "while True: pass"],
            start_new_session=True))
    if procs:
        print(f"load: {n} CPU-bound processes beside the suite")
    return procs


def stop_load(procs):
    for p in procs:
        try:
            os.killpg(p.pid, 9)
        except ProcessLookupError:
            pass
        p.wait()


def heading(title):
    print(f"\n== {title} ==")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--long", action="store_true")
    ap.add_argument("-j", type=int, default=None)
    ap.add_argument("--load", type=int, default=0)
    a = ap.parse_args()
    start = time.monotonic()
    load = start_load(a.load)
    try:
        heading("checks of the tests and the tree (not counted)")
        checks = user_tests_on_host()
        checks += style_check()
        checks += layer_check()
        # The test game's checks prove the test data, not Ember.
        checks += host_python_tests()
        heading("Ember's tests")
        results = host_tests()
        import run as system_run
        results += [ok for _, ok, _ in system_run.run(a.j, a.long)]
        TIMINGS.extend(system_run.TIMINGS)
    finally:
        stop_load(load)
    passed = sum(results)
    failed = len(results) - passed
    check_failed = len(checks) - sum(checks)
    heading("slowest")
    for name, took in sorted(TIMINGS, key=lambda t: -t[1])[:5]:
        print(f"{took:7.1f}s  {name}")
    print(f"checks of the tests and the tree: {sum(checks)} ok, "
          f"{check_failed} failed (not counted below)")
    print(f"make test took {time.monotonic() - start:.0f} s")
    # A failed check fails the run too: its failure is added to the count.
    print(f"{passed} passed, {failed + check_failed} failed")
    return 1 if failed or check_failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
