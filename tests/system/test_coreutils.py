"""Differential tests of the programs in /bin against Debian 12's own
tools, byte for byte, and the programs' error paths.

The same command lines run twice: on the host, with bash and Debian's
GNU coreutils, grep and util-linux's hexdump (LC_ALL=C), and on Ember,
where init runs /bin/sh on a script of them (`init=/bin/init,-C,/scratch,
/bin/sh,/scratch/run.sh`) over the same input files, put on a copy of the
disk with mtools. Each command's output (stdout and stderr together) and
exit status are kept in /results; after init powers the guest off, the
host copies /results out and compares every command's output and status
with the host's.

The second test drives the other programs over the serial console and
checks their results and their one-line errors.

See: tests/system/session.py, docs/userland.md
"""
import os
import random
import re
import shutil
import subprocess
import tempfile

from harness import BUILD, check, systest
from session import Session, script_results


def input_files():
    rnd = random.Random(8)
    words = ["alpha", "Beta", "gamma", "DELTA", "epsilon", "zeta", "eta",
             "theta", "Iota", "kappa", "lambda", "mu", "x1", "y22", "z333"]
    big = "".join(" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
                  + "\n" for _ in range(6000))
    return {
        "a.txt": b"hello world\nfoo bar  baz\n\tTabbed line\nHELLO again\n"
                 b"  leading spaces\nlast line no newline",
        "b.txt": "".join(f"{i}\n" for i in range(1, 41)).encode(),
        "big.txt": big.encode(),  # ~250 KiB: no size cap anywhere
        "r.bin": bytes(rnd.randrange(256) for _ in range(1000)),
        "rep.bin": b"\0" * 100 + b"tail",  # hexdump's '*' lines
        "empty": b"",
    }


COMMANDS = [
    "cat a.txt",
    "cat -n a.txt b.txt",
    "cat a.txt - b.txt < b.txt",
    "cat big.txt",
    "cat -n big.txt",
    "cat < r.bin",
    "cat nosuch a.txt",
    "echo hello   world",
    "echo -n no newline",
    "echo -e 'tab\\there\\nnew line\\\\'",
    "echo -n -e 'a\\cb'",
    "echo",
    "wc a.txt",
    "wc a.txt b.txt big.txt r.bin",
    "wc -l a.txt",
    "wc -w < big.txt",
    "wc -c empty",
    "wc -l -w b.txt big.txt",
    "cat b.txt | wc",
    "wc nosuch a.txt",
    "head a.txt",
    "head -n 3 b.txt a.txt",
    "head -n 0 b.txt",
    "head < big.txt",
    "head -n 2 nosuch b.txt",
    "tail a.txt",
    "tail -n 3 b.txt a.txt",
    "tail -n +38 b.txt",
    "tail -n 1 empty a.txt",
    "cat big.txt | tail -n 4",
    "hexdump -C a.txt",
    "hexdump -C r.bin",
    "hexdump -C rep.bin",
    "hexdump -C empty",
    "hexdump -C a.txt b.txt",
    "hexdump -C < b.txt",
    "hexdump -C nosuch",
    "grep hello a.txt",
    "grep -i hello a.txt",
    "grep -v -n o a.txt",
    "grep -c 1 b.txt a.txt",
    "grep -n '^[0-9]*5$' b.txt",
    "grep -i -c 'ALPHA' big.txt",
    "grep -v -c a big.txt",
    "grep 'x1 y22' big.txt",
    "grep -n 'a.*z' big.txt",
    "grep zzz a.txt",
    "cat big.txt | grep -c theta",
    "grep x nosuch",
]


def host_results(files):
    """Runs COMMANDS with bash and Debian's tools; [(output, status)]."""
    d = tempfile.mkdtemp(prefix="coreutils-", dir=os.path.join(BUILD, "tests"))
    try:
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        env = {"LC_ALL": "C", "PATH": "/usr/bin:/bin"}
        out = []
        for cmd in COMMANDS:
            p = subprocess.run(["bash", "-c", cmd + " 2>&1"], cwd=d, env=env,
                               capture_output=True)
            out.append((p.stdout, p.returncode))
        return out
    finally:
        shutil.rmtree(d, ignore_errors=True)


def script():
    lines = ["#!/bin/sh"]
    for i, cmd in enumerate(COMMANDS):
        lines.append(f"{cmd} > /results/{i}.out 2>&1; echo $? > /results/{i}.st")
    return ("\n".join(lines) + "\n").encode()


@systest("coreutils_match_debian", timeout=120)
def _():
    files = input_files()
    want = host_results(files)
    out = script_results("coreutils", files, script(), 90)
    try:
        results = []
        for i, cmd in enumerate(COMMANDS):
            path = os.path.join(out, "results", f"{i}")
            with open(path + ".out", "rb") as f:
                got = f.read()
            with open(path + ".st", "rb") as f:
                got_status = int(f.read().strip() or b"-1")
            ok = got == want[i][0] and got_status == want[i][1]
            detail = "" if ok else (
                f"status {got_status} (Debian {want[i][1]}); "
                f"got {got[:300]!r}, Debian {want[i][0][:300]!r}")
            results.append((cmd, ok, detail))
        return results
    finally:
        shutil.rmtree(out, ignore_errors=True)


@systest("coreutils_files_processes_and_errors", timeout=90)
def _():
    with Session() as s:
        s.run("cd /scratch")
        s.expect("mkdir -p d/e/f && touch d/e/f/x d/y && ls d d/e/f",
                 "d:\ne  y\n\nd/e/f:\nx\n")  # columns on a terminal
        s.expect("echo data > d/y; cp d/y d/z; cat d/z", "data\n")
        s.expect("cp -r d c && ls -1 c c/e/f", "c:\ne\ny\nz\n\nc/e/f:\nx\n")
        s.expect("mv c/z c/moved; mv c/moved d/e; ls c d/e",
                 "c:\ne  y\n\nd/e:\nf  moved\n")
        s.expect("rm d; echo $?", "rm: cannot remove 'd': Is a directory\n1\n")
        s.expect("rmdir d; echo $?", "rmdir: failed to remove 'd': "
                 "Directory not empty\n1\n")
        s.expect("rm -r d c && ls", "")
        s.expect("rm -f nosuch; echo $?", "0\n")
        s.expect("rm nosuch; echo $?", "rm: cannot remove 'nosuch': "
                 "No such file or directory\n1\n")
        s.expect("mkdir a; mkdir a; echo $?", "mkdir: cannot create "
                 "directory 'a': File exists\n1\n")
        long = s.run("echo 12345 > f; ls -l f a")
        check(re.match(r"-[rwx-]{9} 6 \w{3} [ \d]\d \d\d:\d\d f\n\na:\n$",
                       long), f"ls -l: {long!r}")
        s.expect("cat a; echo $?", "cat: a: Is a directory\n1\n")
        s.expect("ls -z", "ls: unrecognized option: z\n"
                 "usage: ls [-al1] [path...]\n")
        s.expect("grep; echo $?", "usage: grep [-icnvE] pattern [file...]\n2\n")
        s.expect("sleep x; echo $?", "sleep: invalid time interval 'x'\n"
                 "usage: sleep seconds...\n1\n")
        s.expect("kill 9999; echo $?", "kill: (9999): No such process\n1\n")
        ps = s.run("sleep 30 & ps")
        check("  PID S  %CPU   MEM(K) COMMAND" in ps and " sleep 30" in ps
              and "/bin/init" in ps, f"ps: {ps!r}")
        pid = [ln.split()[0] for ln in ps.split("\n") if "sleep 30" in ln][0]
        s.expect(f"kill {pid}; sleep 1",
                 "[1]+  Terminated              sleep 30\n")
        free = s.run("free")
        check(free.startswith("               total") and "Mem:" in free,
              f"free: {free!r}")
        df = s.run("df")
        check(df.startswith("Filesystem") and df.rstrip().endswith("% /"),
              f"df: {df!r}")
        check(" up " in s.run("uptime"), "uptime")
        check(" UTC " in s.run("date"), "date")
        s.expect("date +%Y | wc -c", "5\n")
        s.expect("true; echo $?; false; echo $?", "0\n1\n")
