"""Runs Ember-only self-checking programs (tests/user/seed_*, hostile_*).

Such a program runs as init's one command (the kernel's init= option), in
/scratch on the FAT32 disk, prints "check: PASS name" or "check: FAIL name:
why" per check on the console, and exits 0 only if every check passed
(tests/user/scheck.h). run_program() boots it and returns the guest's
serial text after judging what every such test needs: init reported an exit
status of 0, QEMU ended with a clean power-off (so the kernel lived to the
end), the kernel printed no panic or failed assertion, and at least one
check ran and none failed.

See: tests/system/README.md, tests/user/README.md
"""
import re

from harness import EXIT_POWEROFF, Guest, check

KERNEL_DEATH = re.compile(r"^(PANIC|System halted)", re.M)


def init_cmdline(prog, args=()):
    return ",".join(["init=/bin/init", "-C", "/scratch", f"/tests/{prog}"] +
                    [str(a) for a in args])


def judge(g, prog, status):
    """Checks a finished guest as described above; returns its serial."""
    text = g.serial
    death = KERNEL_DEATH.search(text)
    check(not death, f"{prog}: the kernel died: "
          f"{text[death.start():death.start() + 300] if death else ''}")
    fails = re.findall(r"^check: FAIL (.*)$", text, re.M)
    check(not fails, f"{prog}: {len(fails)} checks failed:\n  " +
          "\n  ".join(fails[:30]))
    passes = re.findall(r"^check: PASS ", text, re.M)
    check(passes, f"{prog}: no check ran")
    m = re.search(r"^init: /tests/\S+ (exited with status (\d+)|"
                  r"was killed by signal (\d+))", text, re.M)
    check(m, f"{prog}: no report from init (QEMU status {status})")
    check(m.group(2) == "0", f"{prog}: {m.group(1)}")
    check(status == EXIT_POWEROFF,
          f"{prog}: QEMU status {status}, not a clean power-off")
    return text


def run_program(prog, args=(), timeout=60, **guest_kwargs):
    """Boots with prog as init's command, waits for the end, judges it."""
    with Guest(cmdline=init_cmdline(prog, args), **guest_kwargs) as g:
        status = g.wait_exit(timeout)
        return judge(g, prog, status)
