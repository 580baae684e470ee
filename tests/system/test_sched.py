"""System tests of the scheduler: the in-kernel tests (fairness, sleep
precision, FPU isolation, no leaks), faults in kernel threads, and a
thread blocked on the keyboard woken by a key sent through QMP.

See: tests/system/README.md, docs/scheduler.md
"""
import re

from harness import EXIT_FAIL, EXIT_PASS, Guest, check, run_ktests, systest


@systest("sched_ktests", timeout=300, solo=True)
def _():
    """Timing-sensitive (fairness, wake-up lateness): run alone."""
    return run_ktests("sched_*", timeout=280)


@systest("sched_thread_fault_reports")
def _():
    with Guest(cmdline="ktest=sched_thread_fault") as g:
        g.expect_exit(EXIT_FAIL, timeout=120)
        text = g.serial
    check(re.search(r"^EXCEPTION: Page Fault \(#PF\), vector 14, error code "
                    r"0x2$", text, re.M), "no page-fault report")
    check(re.search(r"^  CR2\s+00000000dead0000$", text, re.M), "CR2 wrong")
    check(re.search(r"^  RIP\s+[0-9a-f]{16}  <faulting_thread\+0x[0-9a-f]+>$",
                    text, re.M), "RIP not in faulting_thread")
    # faulting_thread is a leaf with no frame of its own, so the chain goes
    # on from task_start's frame to its caller.
    check(re.search(r"^  [0-9a-f]{16}  task_trampoline\+0x", text, re.M),
          "backtrace does not reach task_trampoline")
    check(re.search(r"^PANIC: ", text, re.M), "no panic")


@systest("sched_stack_overflow_reports")
def _():
    """Overflowing a thread's stack hits its guard page: the double fault
    runs on its own IST stack and reports, instead of a triple fault."""
    with Guest(cmdline="ktest=sched_stack_overflow") as g:
        status = g.wait_exit(120)
        text = g.serial
    check(status == EXIT_FAIL, f"exit {status}: 0 would be a triple fault")
    m = re.search(r"^EXCEPTION: (Double Fault \(#DF\)|Page Fault \(#PF\)), ",
                  text, re.M)
    check(m, "no exception report")
    check(re.search(r"recurse\+0x", text), "report does not name recurse")
    check(re.search(r"^PANIC: ", text, re.M), "no panic")


@systest("sched_key_wakes_blocked_reader")
def _():
    with Guest(cmdline="ktest=sched_key_wakes_blocked_reader") as g:
        m = g.wait_serial(r"^ktest: reader used (\d+) ticks in 1000 ms, "
                          r"state (\w+)\r?\n", timeout=60)
        check(int(m.group(1)) <= 1, f"reader used {m.group(1)} ticks")
        check(m.group(2) == "blocked", f"reader state {m.group(2)}")
        g.wait_serial(r"^ktest: press a key$", timeout=30)
        g.tap("x")
        g.wait_serial(r"^ktest: reader got 'x'$", timeout=30)
        g.expect_exit(EXIT_PASS, timeout=30)
