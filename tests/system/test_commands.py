"""The everyday commands (sort, sed, find, od...) against Debian 12's own.

Each command line of CASES runs twice on the same input files: on the
host with bash and Debian's tools (LC_ALL=C; bash's own printf and echo
are turned off with `enable -n`, so /usr/bin's run), and on Ember, where
init runs /bin/sh on a script of all of them in one boot. For every line
the test compares standard output byte for byte, the exit status, and
whether standard error is empty; never the wording of a message or of
--help, which is each implementation's own. SETUP builds the same small
folder tree on both sides first, for find, du and xargs.

The second test drives what only a terminal shows: the pager, tail -f,
ps's columns, PATH, dmesg, uname and id, whose output names Ember.

See: tests/system/test_coreutils.py, docs/userland.md
"""
import os
import random
import shutil
import subprocess
import tempfile

from harness import BUILD, check, systest
from session import Session, script_results


def input_files():
    rnd = random.Random(18)
    words = ["pear", "Apple", "apple", "fig", "10", "9", "-3", "2.5", "kiwi",
             "b", "a b", "Zed", "zed", "", "  lead"]
    lines = "".join(rnd.choice(words) + "\n" for _ in range(300))
    return {
        "w.txt": lines.encode(),
        "f.txt": b"root:x:0:0:root:/root:/bin/sh\nbin:x:1:1::/bin:\n"
                 b"no colon here\nuser:x:1000:100:A User:/home/u:/bin/sh\n",
        "k.txt": b"b 2 x\na 10 y\nc 1 z\na 2 w\nb 10 v\n",
        "d.txt": b"one\ntwo\ntwo\nthree\nthree\nthree\nTwo\ntwo\n",
        "x.txt": b"alpha\nbeta\ngamma\ndelta\nepsilon\n",
        "y.txt": b"alpha\nBETA\ngamma\ndelta\nzeta\nepsilon\n",
        "n.txt": b"a\n\nb\n\n\nc",
        "empty.txt": b"",
    "r.bin": bytes(rnd.randrange(256) for _ in range(300)),
        "z.bin": b"\0" * 64 + b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\n\t\x7f\x80\xff",
    }


# Run first, on both sides, with their output thrown away.
SETUP = [
    "mkdir -p t/a/b t/c",
    "echo one > t/a/one.txt",
    "echo two > t/a/b/two.txt",
    "echo three > t/c/three.c",
    "echo four > t/four.txt",
    "cp x.txt s.txt",
    "cp x.txt s2.txt",
]

CASES = [
    # basename, dirname
    "basename /usr/lib/libc.so .so",
    "basename /usr/lib/",
    "basename /",
    "basename -a a/b c/d/ e",
    "basename -s .txt x.txt t/a/one.txt",
    "basename",
    "basename --bogus x",
    "dirname /usr/lib/libc.so a/b/ a / //x",
    "dirname",
    # seq, yes
    "seq 5",
    "seq 3 7",
    "seq 10 -3 0",
    "seq 1 0.5 3",
    "seq 0.1 0.1 0.5",
    "seq -w 8 11",
    "seq -s , 4",
    "seq 5 1",
    "seq -2 1",
    "seq x",
    "seq 1 0 5",
    "yes | head -n 3",
    "yes a b | head -n 2",
    "yes --bogus",
    # tee, rev
    "echo hi | tee t1 t2; cat t1 t2",
    "echo more | tee -a t1 > /dev/null; cat t1",
    "echo x | tee nosuch/f",
    "rev x.txt n.txt",
    "rev < d.txt",
    "rev nosuch",
    # env
    "env -i A=1 B=two",
    "env -i A=1 env",
    "env -i PATH=/bin:/usr/bin sh -c 'echo $A' ",
    "env -u HOME -i X=y",
    "env nosuchcommand",
    "env --bogus",
    # which
    "which nosuch",
    "which",
    # sort, uniq
    "sort w.txt",
    "sort -r w.txt",
    "sort -n w.txt",
    "sort -rn w.txt",
    "sort -u w.txt",
    "sort -f w.txt",
    "sort -fu w.txt",
    "sort -k2 k.txt",
    "sort -k2 -n k.txt",
    "sort -k 2,2n -k1 k.txt",
    "sort -t: -k3 -n f.txt",
    "sort -t: -k 6 f.txt",
    "sort d.txt x.txt y.txt",
    "sort < n.txt",
    "sort -o sorted.txt d.txt; cat sorted.txt",
    "sort nosuch",
    "sort --bogus",
    "uniq d.txt",
    "uniq -c d.txt",
    "uniq -d d.txt",
    "uniq -u d.txt",
    "uniq -i -c d.txt",
    "sort w.txt | uniq -c",
    "uniq d.txt u.out; cat u.out",
    "uniq nosuch",
    "uniq -z x",
    # cut, tr
    "cut -f2 f.txt",
    "cut -d: -f1,3 f.txt",
    "cut -d: -f5- f.txt",
    "cut -d: -s -f1 f.txt",
    "cut -c2-4,6 x.txt",
    "cut -b -3 f.txt",
    "cut -c 10- x.txt",
    "cut -f 1 k.txt",
    "cut x.txt",
    "cut -f 0 x.txt",
    "tr a-z A-Z < x.txt",
    "tr -d aeiou < x.txt",
    "tr -s 'a-z' < d.txt",
    "tr -s '\\n' < n.txt",
    "tr -c 'a-z\\n' '_' < f.txt",
    "tr '[:lower:]' '[:upper:]' < y.txt",
    "tr -d '[:digit:]' < w.txt",
    "tr -cd '[:alpha:]' < f.txt",
    "tr abc xy < x.txt",
    "tr -ds a-m n-z < x.txt",
    "tr",
    "tr --bogus a b",
    # nl, cmp
    "nl x.txt",
    "nl n.txt",
    "nl -ba n.txt",
    "nl -w3 -s: -nrz n.txt",
    "nl -nln x.txt d.txt",
    "nl -v 10 -i 5 x.txt",
    "nl -b q x.txt",
    "cmp x.txt x.txt",
    "cmp x.txt y.txt",
    "cmp -l x.txt y.txt",
    "cmp -s x.txt y.txt",
    "cmp x.txt s.txt",
    "cmp d.txt x.txt",
    "head -c 20 x.txt | cmp - x.txt",
    "cmp x.txt nosuch",
    "cmp -l r.bin z.bin",
    "cmp --bogus a b",
    # printf, expr
    "printf 'hello\\n'",
    "printf '%s-%s\\n' a b c d e",
    "printf '%5d|%-5d|%05d|%x|%X|%o|%u\\n' 42 42 42 255 255 8 7",
    "printf '%.2f %e %g %10.3f\\n' 3.14159 1234.5 0.0001 2.5",
    "printf '%c%c%c\\n' abc d",
    "printf '%b\\n' 'tab\\there' 'no\\cmore'",
    "printf '%*d|%-*s|\\n' 6 12 4 ab",
    "printf '\\101\\x41\\t\\\\\\n'",
    "printf '%d\\n' abc",
    "printf '%d %s\\n' 1",
    "printf \"%d\\n\" \"'A\"",
    "printf",
    "expr 1 + 2 \\* 3",
    "expr 10 / 3 % 2",
    "expr 7 - 10",
    "expr abc \\< abd",
    "expr 10 \\< 9",
    "expr 2 = 2",
    "expr 0 \\| 5",
    "expr 0 \\& 5",
    "expr '' \\| 0",
    "expr length hello",
    "expr substr hello 2 3",
    "expr index hello lo",
    "expr hello : 'hel'",
    "expr hello : 'h\\(.*\\)o'",
    "expr hello : 'x'",
    "expr match abc 'a.'",
    "expr \\( 1 + 2 \\) \\* 4",
    "expr 1 / 0",
    "expr 1 +",
    "expr a + 1",
    "expr 5",
    "expr 0",
    # od
    "od x.txt",
    "od -c z.bin",
    "od -An -tx1 x.txt",
    "od -Ax -tx2 r.bin",
    "od -b -v z.bin",
    "od -d x.txt",
    "od -x n.txt",
    "od -t d1 r.bin",
    "od -t u4 r.bin",
    "od -t o8 r.bin",
    "od -t x8 -Ad z.bin",
    "od -j 10 -N 20 -c x.txt",
    "od < n.txt",
    "od x.txt nosuch",
    "od -t q x.txt",
    "od -c empty.txt",
    # sed
    "sed 's/a/A/' x.txt",
    "sed 's/a/A/g' x.txt y.txt",
    "sed 's/a/A/2' x.txt",
    "sed 's/A/x/gi' y.txt",
    "sed -n 's/e/E/p' x.txt",
    "sed 's/\\(.\\)\\(.\\)/\\2\\1/' x.txt",
    "sed 's/[aeiou]/<&>/g' x.txt",
    "sed -E 's/(l+)|(t)/[\\1\\2]/g' x.txt",
    "sed 's|/|_|g' f.txt",
    "sed 's/x*/-/g' x.txt",
    "sed 2d x.txt",
    "sed '2,4d' x.txt",
    "sed '$d' x.txt n.txt",
    "sed -n '$p' x.txt",
    "sed -n '/^t/p' d.txt",
    "sed '/two/,/three/d' d.txt",
    "sed '3,/three/s/^/> /' d.txt",
    "sed '2!d' x.txt",
    "sed -n '2,3!p' x.txt",
    "sed 3q x.txt",
    "sed -n '=' x.txt",
    "sed -e 's/a/1/' -e 's/b/2/' x.txt",
    "sed 's/a/1/;s/e/2/;2d' x.txt",
    "sed 'y/abc/xyz/' x.txt",
    "sed '2i\\\ninserted' x.txt",
    "sed '2a appended' x.txt",
    "sed '/beta/c changed' x.txt",
    "sed 's/e/E/' n.txt",
    "sed -n 'p' n.txt",
    "sed 's/:.*//' f.txt | sort",
    "sed -i 's/alpha/ALPHA/' s.txt; cat s.txt",
    "sed -i -e '1d' -e 's/a/@/g' s.txt s2.txt; cat s.txt s2.txt",
    "sed p nosuch x.txt",
    "sed 's/a/b' x.txt",
    "sed k x.txt",
    "sed",
    "sed --bogus p",
    # uname, id (figures that do not name the system)
    "uname -m",
    "id -z",
    "uname --bogus",
]


def host_script(cmds):
    return "enable -n printf echo kill\n" + "\n".join(cmds) + "\n"


def host_results(files):
    """Runs SETUP and CASES with bash and Debian's tools: [(out, err, st)]."""
    d = tempfile.mkdtemp(prefix="commands-", dir=os.path.join(BUILD, "tests"))
    try:
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        env = {"LC_ALL": "C", "PATH": "/usr/bin:/bin", "HOME": "/"}
        subprocess.run(["bash", "-c", host_script(SETUP)], cwd=d, env=env,
                       capture_output=True)
        out = []
        for cmd in CASES:
            p = subprocess.run(["bash", "-c", host_script([cmd])], cwd=d,
                               env=env, capture_output=True, timeout=30)
            out.append((p.stdout, p.stderr != b"", p.returncode))
        return out
    finally:
        shutil.rmtree(d, ignore_errors=True)


def guest_files():
    """run.sh, and each case as its own script cN.sh, so that a case of
    several commands is redirected whole (Ember's sh has no { })."""
    lines = ["#!/bin/sh"]
    lines += [f"{cmd} > /dev/null 2>&1" for cmd in SETUP]
    files = {}
    for i, cmd in enumerate(CASES):
        files[f"c{i}.sh"] = (cmd + "\n").encode()
        lines.append(f"sh c{i}.sh > /results/{i}.o 2> /results/{i}.e; "
                     f"echo $? > /results/{i}.s")
    files["run.sh"] = ("\n".join(lines) + "\n").encode()
    return files


def compare(want, out):
    results = []
    for i, cmd in enumerate(CASES):
        path = os.path.join(out, "results", f"{i}")
        with open(path + ".o", "rb") as f:
            got = f.read()
        with open(path + ".e", "rb") as f:
            got_err = f.read() != b""
        with open(path + ".s", "rb") as f:
            got_status = int(f.read().strip() or b"-1")
        w_out, w_err, w_status = want[i]
        ok = got == w_out and got_err == w_err and got_status == w_status
        detail = "" if ok else (
            f"status {got_status} (Debian {w_status}); stderr "
            f"{'used' if got_err else 'empty'} (Debian "
            f"{'used' if w_err else 'empty'}); "
            f"got {got[:300]!r}, Debian {w_out[:300]!r}")
        results.append((cmd, ok, detail))
    return results


@systest("commands_match_debian", timeout=150)
def _():
    files = input_files()
    want = host_results(files)
    cases = guest_files()
    run = cases.pop("run.sh")
    out = script_results("commands", dict(files, **cases), run, 120)
    try:
        return compare(want, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)
