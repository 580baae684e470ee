"""The shell's differential corpus: every tests/sh/*.sh through Ember's sh
in QEMU and through Debian's dash on Linux, compared.

One boot runs them all: the scripts go into /scratch on a copy of the
disk, and init runs /bin/sh on a driver (run.sh, written here) that runs
each script as `sh NAME.sh` in its own empty folder, with its standard
output, standard error and exit status kept in /results. After init powers
the guest off, the host copies /results out. On the host each script runs
the same way under `dash` (LC_ALL=C, PATH=/usr/bin:/bin, HOME=/, its own
empty folder). A script passes when its standard output matches byte for
byte, its status matches, and its standard error is empty on both sides
or on neither (the wording of messages differs: dash's carry its own
prefix and line numbers).

The driver uses only what the shell had before the corpus (one simple
command line per script), so a broken feature fails its own scripts and
not the run. A script must not depend on Linux-only files or on timing.

See: tests/sh/README.md, docs/userland.md
"""
import glob
import os
import shutil
import subprocess
import tempfile

from harness import BUILD, ROOT, check, systest
from session import script_results

CORPUS = os.path.join(ROOT, "tests", "sh")
HOST_ENV = {"LC_ALL": "C", "PATH": "/usr/bin:/bin", "HOME": "/"}
HOST_TIMEOUT_S = 20  # per script; the slowest sleeps 1 s


def corpus():
    """{name: script bytes}, by name."""
    out = {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.sh"))):
        with open(path, "rb") as f:
            out[os.path.basename(path)[:-len(".sh")]] = f.read()
    return out


def dash_results(scripts):
    """{name: (stdout, status, stderr not empty)} under dash."""
    check(shutil.which("dash"), "dash is not installed (tools/deps.sh)")
    out = {}
    for name, text in scripts.items():
        d = tempfile.mkdtemp(prefix="sh-", dir=os.path.join(BUILD, "tests"))
        try:
            path = os.path.join(d, "script.sh")
            with open(path, "wb") as f:
                f.write(text)
            work = os.path.join(d, "w")
            os.mkdir(work)
            p = subprocess.run(["dash", path], cwd=work, env=HOST_ENV,
                               capture_output=True, timeout=HOST_TIMEOUT_S)
            out[name] = (p.stdout, p.returncode, bool(p.stderr))
        finally:
            shutil.rmtree(d, ignore_errors=True)
    return out


def driver(names):
    lines = ["mkdir /results /w"]
    for n in names:
        lines.append(f"mkdir /w/{n}; cd /w/{n}; sh /scratch/{n}.sh "
                     f"> /results/{n}.out 2> /results/{n}.err; "
                     f"echo $? > /results/{n}.st")
    lines.append("cd /")
    return ("\n".join(lines) + "\n").encode()


@systest("sh_corpus_matches_dash", timeout=240)
def _():
    scripts = corpus()
    check(len(scripts) >= 150, f"only {len(scripts)} scripts in tests/sh")
    os.makedirs(os.path.join(BUILD, "tests"), exist_ok=True)
    want = dash_results(scripts)
    files = {f"{n}.sh": t for n, t in scripts.items()}
    out = script_results("sh_corpus", files, driver(list(scripts)), 200)
    try:
        results = []
        for n in scripts:
            base = os.path.join(out, "results", n)
            try:
                with open(base + ".out", "rb") as f:
                    got = f.read()
                with open(base + ".st", "rb") as f:
                    status = int(f.read().strip() or b"-1")
                err = os.path.getsize(base + ".err") > 0
            except OSError as e:
                results.append((n, False, f"no result: {e}"))
                continue
            w_out, w_status, w_err = want[n]
            ok = got == w_out and status == w_status and err == w_err
            detail = "" if ok else (
                f"status {status} (dash {w_status}), stderr "
                f"{'some' if err else 'none'} (dash "
                f"{'some' if w_err else 'none'}); got {got[:300]!r}, "
                f"dash {w_out[:300]!r}")
            results.append((n, ok, detail))
        return results
    finally:
        shutil.rmtree(out, ignore_errors=True)
