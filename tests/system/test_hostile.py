"""System tests of hostile programs: the kernel must refuse, survive, and
give back every frame.

Each test boots one of the Ember-only programs of tests/user/ (hostile_*.c)
as init's command; the program checks its own results, one line per check
(tests/user/scheck.h), and tests/system/selfcheck.py judges the run: every
check passed, init reported status 0, no kernel panic, and a clean
power-off, which a dead or hung kernel cannot give.

  hostile_bad_pointers     every pointer-taking call of both doors: -EFAULT
  hostile_faults_killed    kernel memory read and written, stack and heap
                           executed, and the other faults: the child dies
                           by the right signal, the report line is printed
  hostile_exhaustion       a fork bomb and a memory hog: errors returned,
                           free memory back to its baseline afterwards
  hostile_fuzz_10k         random calls through both doors, 10,000 of them
  hostile_fuzz_100k        the same, 100,000 (make test-long)
  hostile_malformed_elf    execve of the malformed ELF corpus: -ENOEXEC
  hostile_oom_at_6_mib     memory hogs at the smallest size that boots:
                           ENOMEM or an out-of-memory kill, and the memory
                           back (make test-long)

See: tests/user/README.md, docs/syscalls.md
"""
import re

from harness import check, systest
from selfcheck import run_program


@systest("hostile_bad_pointers", timeout=90)
def hostile_bad_pointers():
    run_program("hostile_pointers", timeout=60)


@systest("hostile_faults_killed", timeout=90)
def hostile_faults_killed():
    text = run_program("hostile_faults", timeout=60)
    reports = re.findall(r"^ember: pid \d+ \(hostile_faults\): .+ at 0x[0-9a-f]+"
                         r" \(RIP 0x[0-9a-f]+\): (SIG[A-Z]+)$", text, re.M)
    # The children hostile_faults.c expects the kernel to kill are its
    # checks named "..._is_sig...": counted from its own output, so the
    # number is written once, in the C program.
    kills = len(re.findall(r"^check: (?:PASS|FAIL) \w+_is_sig", text, re.M))
    check(kills > 0, "hostile_faults reported no killing checks")
    check(len(reports) >= kills,
          f"{len(reports)} kill reports on serial, expected {kills}")


@systest("hostile_exhaustion", timeout=120)
def hostile_exhaustion():
    text = run_program("hostile_exhaust", timeout=100, mem="128M")
    # The copy-on-write hog cannot fit: 8 copies of 32 MiB in 128 MiB.
    check(re.search(r"^ember: pid \d+ \(hostile_exhaust\): out of memory at "
                    r"0x[0-9a-f]+: killed$", text, re.M),
          "no out-of-memory report for the copy-on-write hog")


def fuzz(calls, seed, timeout):
    text = run_program("hostile_fuzz", (calls, seed), timeout=timeout)
    m = re.search(r"^fuzz: (\d+) calls in (\d+) children", text, re.M)
    check(m and int(m.group(1)) >= calls, "the fuzzer did not report its "
          "calls")


@systest("hostile_fuzz_10k", timeout=120)
def hostile_fuzz_10k():
    fuzz(10000, 0x5eed0001, timeout=100)


@systest("hostile_fuzz_100k", timeout=900, long=True)
def hostile_fuzz_100k():
    fuzz(100000, 0x5eed0002, timeout=840)


@systest("hostile_malformed_elf", timeout=120)
def hostile_malformed_elf():
    text = run_program("hostile_elf", timeout=100)
    check(re.search(r"^elf: \d+ named files", text, re.M),
          "hostile_elf did not report the corpus")


@systest("hostile_oom_at_6_mib", timeout=200, long=True)
def _():
    text = run_program("hostile_oom", timeout=170, mem="6M")
    m = re.search(r"^oom: the first hog got (\d+) MiB$", text, re.M)
    check(m, "the hog did not report")
