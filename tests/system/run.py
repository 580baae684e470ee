#!/usr/bin/env python3
"""Runs the QEMU system tests: every @systest in tests/system/test_*.py.

Tests run in parallel, one QEMU per job (default: one per core); tests
marked solo run afterwards, one at a time, with nothing beside them. A test
that raises, or whose guest hangs past its timeout, fails; each prints one
line, "PASS: name" or "FAIL: name: reason", and a run ends with
"N passed, N failed". Serial logs of every guest land in build/tests/logs/.

Usage: run.py [-j N] [--long] [-k SUBSTRING]...
See: tests/system/README.md
"""
import argparse
import concurrent.futures
import glob
import importlib.util
import os
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

_print_lock = threading.Lock()
TIMINGS = []  # (name, seconds) of each test run, for run_all's slowest five


def load_tests():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "test_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    return harness.TESTS


def run_one(test):
    """Returns a list of (name, ok, detail)."""
    harness.set_current_test(test.name)
    start = time.monotonic()
    try:
        out = test.fn()
        if out is None:
            results = [(test.name, True, "")]
        else:
            results = [(f"{test.name}/{n}", ok, d) for n, ok, d in out]
    except (harness.TestFailure, AssertionError) as e:
        results = [(test.name, False, str(e) or "assertion failed")]
    except Exception:
        results = [(test.name, False, traceback.format_exc().strip()
                    .splitlines()[-1])]
        with _print_lock:
            traceback.print_exc()
    took = time.monotonic() - start
    with _print_lock:
        TIMINGS.append((test.name, took))
        for name, ok, detail in results:
            if ok:
                print(f"PASS: {name} ({took:.1f}s)")
            else:
                print(f"FAIL: {name}: {detail}")
        sys.stdout.flush()
    return results


def run(jobs=None, long=False, filters=()):
    tests = [t for t in load_tests() if long or not t.long]
    if filters:
        tests = [t for t in tests if any(f in t.name for f in filters)]
    jobs = jobs or os.cpu_count() or 2
    results = []
    parallel = [t for t in tests if not t.solo]
    solo = [t for t in tests if t.solo]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for r in pool.map(run_one, parallel):
            results += r
    for t in solo:
        results += run_one(t)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-j", type=int, default=None)
    ap.add_argument("--long", action="store_true")
    ap.add_argument("-k", action="append", default=[])
    a = ap.parse_args()
    results = run(a.j, a.long, a.k)
    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
