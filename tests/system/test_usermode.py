"""System tests of user mode: the differential programs of tests/user/ run
inside Ember and their results must match the host Linux's, line for line.

Each program runs as the only command of init (the kernel's init= option),
in /scratch on the FAT32 disk, and writes its results to /results/<name>;
init then syncs and powers off, and the host reads the file back with
mtools and compares it with the same program's output on Linux
(tests/user/run_host.py keeps those in build/tests/user/host/).

See: tests/system/README.md, tests/user/README.md, docs/syscalls.md
"""
import os
import re
import sys

from harness import (BUILD, EXIT_POWEROFF, ROOT, Guest, check, mtype, systest)

sys.path.insert(0, os.path.join(ROOT, "tests", "user"))
import run_host  # noqa: E402

HOST_RESULTS = os.path.join(BUILD, "tests", "user", "host")


def play_keys(g, name, timeout):
    """Types a terminal test's keys on the serial line when it asks."""
    start = 0
    for ready, keys in run_host.PTY_KEYS[name].items():
        m = g.wait_serial(re.escape(ready.decode()), timeout=timeout,
                          start=start)
        start = m.end()
        g.send_serial(keys)


def run_on_ember(name, timeout=240):
    """Boots with the program as init's command; returns its results."""
    cmd = f"init=/bin/init,-C,/scratch,/tests/{name},/results/{name}.out"
    with Guest(cmdline=cmd) as g:
        if name in run_host.PTY_KEYS:
            play_keys(g, name, 60)
        status = g.wait_exit(timeout)
        m = re.search(r"^init: /tests/\S+ (exited with status (\d+)|"
                      r"was killed by signal (\d+))", g.serial, re.M)
        check(m, f"no report from init (QEMU status {status})")
        check(m.group(2) == "0", f"{name}: {m.group(1)}")
        check(status == EXIT_POWEROFF, f"QEMU status {status}, not a "
              "clean power-off")
        disk = os.path.join(BUILD, "tests", f"{name}.disk.img")
        g.keep_disk(disk)
    try:
        return mtype(disk, f"/results/{name}.out").replace("\r\n", "\n")
    finally:
        os.remove(disk)


def differential(name):
    ref_path = os.path.join(HOST_RESULTS, name + ".out")
    check(os.path.exists(ref_path), f"no host results for {name}: "
          "run tests/user/run_host.py first")
    with open(ref_path) as f:
        ref = f.read()
    got = run_on_ember(name)
    diffs = run_host.compare(ref, got)
    check(not diffs, f"{name} differs from Linux:\n" + "\n".join(diffs[:20]))
    return [(name, True, "")]


for _name in ["test_files", "test_dirs", "test_process", "test_pipes", "test_poll", "test_signals", "test_threads",
              "test_memory", "test_time", "test_errno", "test_terminal",
              "test_terminal_jobs", "test_wait_stops", "test_thread_tasks",
              "test_futex_shared",
              "test_gl", "test_paths", "test_tmpfs"]:
    systest(f"user_diff_{_name}", timeout=300)(
        (lambda n: lambda: differential(n) and None)(_name))
