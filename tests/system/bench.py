#!/usr/bin/env python3
"""`make bench`: boots Ember with the `bench` option and prints each figure.

The kernel's KBENCH functions (tests/kernel/bench_*.c) measure with the TSC
in the guest and print `bench: name: value unit`; this prints `name: value
unit`, one figure a line. Figures are for reading and comparing within one
run (these machines are noisy), never asserted.

The boot's (docs/boot.md): five ordinary boots (loglevel=3, so the debug
lines below are logged), each timed by the guest's clock from kernel entry:
- shell_prompt_after_entry: to the shell's first read of the terminal
  (the tty's "first read" line), the median and each boot;
- boot_entry_to_banner: to the banner;
- boot_step_<step>: the time budget, each step of kmain() (from the
  "boot: steps end" line: the median of its end less the median of the
  step before), and init_and_shell, from the last step to the prompt.

tsc_calibration_spread: ten boots, each with the TSC's rate measured
against the ACPI PM timer; the figure is (max - min) / median of the ten
rates (goal: at most 0.05%, on a loaded host too).

Then DOOM's figures (docs/doom.md), one guest at a time:
- doom_timedemo_<demo>_fps: freedoom1's demo1-4 with -timedemo in QEMU,
  the engine's own "timed ... (F fps)", with the final blit (palette
  lookup, call 10's scaling and the framebuffer writes) and with -noblit
  (engine only: the game simulated and drawn into I_VideoBuffer);
- doom_playdemo_tics_per_s: the tic rate sustained in real-time play
  (-playdemo demo3, the port's "doom-rate:" line; must hold 35);
- doom_min_mem: the smallest QEMU -m (MiB) with which freedoom1's demo3
  still replays to the same end state as with 256 MiB;
- doom_linux_timedemo_<demo>: the same demos with the Linux build
  (build/doom/doom-host), wall time and fps, for scale.

Then the GL's figures (docs/gl.md): tests/user/bench_gl, fragments per
second of Ember's software OpenGL, in QEMU and (gl_*_linux) on Linux.

Then QUAKE's figures (tests/system/bench_quake.py, docs/quake.md).

The console's (docs/console.md): a script run as init's command makes a
file of 16,000 lines of 80 characters, then times (`time -p`, the guest's
own clock) `cat` of it to the terminal and to /dev/null, and writes the
times to /results, read back from the disk after the power-off:
- console_cat_screen_s: to the terminal as it is by default with a screen
  (tty=screen, the screen alone; goal <= 1 s and <= 0.3 s over
  /dev/null);
- console_cat_dev_null_s: the same file to /dev/null;
- console_cat_serial_and_screen_s: to the terminal with tty=serial, copied
  to the serial line too, as the tests run (QEMU's UART bounds this one).

The volume lock's (docs/storage.md, issue #16): the scenarios of
tests/system/test_bound.py, timed by the guest's clock in
tests/user/hostile_bound.c:
- bound_ftruncate_100mib, bound_write_64mib_and_fsync,
  bound_read_64mib_uncached: the long operations themselves;
- bound_stat_and_read_during_extension_worst: the slowest of five stat +
  4 KiB read rounds while another process extends a file by 100 MiB;
- bound_sigkill_to_reaped_during_extension: kill() to waitpid()'s return;
- bound_short_child_during_100_execs: fork to the end of a short child
  started after 100 execs of busybox.

Usage: bench.py [--no-doom | --doom-only] [--no-quake | --quake-only]
                [--gl-only] [--console-only] [--bound-only] [--boot-only]
See: tests/kernel/README.md, docs/doom.md, docs/gl.md, docs/quake.md
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (BUILD, EXIT_PASS, EXIT_POWEROFF, ROOT,  # noqa: E402
                     Guest, set_current_test)
import bench_quake  # noqa: E402
from session import disk_with, mtools  # noqa: E402

DOOM_ARGS = ["-iwad", "/usr/share/games/doom/freedoom1.wad", "-config",
             "/scratch/doom.cfg", "-extraconfig", "/scratch/doom-extra.cfg"]
DOOM_DEMOS = ["demo1", "demo2", "demo3", "demo4"]
TIMED_RX = r"^timed (\d+) gametics in (\d+) realtics \(([\d.]+) fps\)"
END_RX = r"^doom-end: .*$"
# -m sizes tried, largest first, until one fails.
DOOM_MEM_MIB = [32, 24, 16, 14, 12, 10, 8]


def doom_guest(args, mem="256M", timeout=600):
    """Runs /bin/doom with args as init's command; returns the serial."""
    cmd = "init=/bin/init,-C,/scratch,/bin/doom," + ",".join(DOOM_ARGS + args)
    with Guest(cmdline=cmd, mem=mem) as g:
        try:
            g.wait_exit(timeout)
        except Exception as e:  # a hang or a crash: no figure
            print(f"bench: doom {' '.join(args)} (-m {mem}): {e}",
                  file=sys.stderr)
        return g.serial


def doom_bench():
    for demo in DOOM_DEMOS:
        for blit, extra in (("blit", []), ("noblit", ["-noblit"])):
            text = doom_guest(["-timedemo", demo] + extra)
            m = re.search(TIMED_RX, text, re.M)
            if m:
                print(f"doom_timedemo_{demo}_{blit}: {m.group(3)} fps "
                      f"({m.group(1)} tics in {m.group(2)} realtics)")
            else:
                print(f"doom_timedemo_{demo}_{blit}: failed")
            sys.stdout.flush()
    text = doom_guest(["-playdemo", "demo3"])
    m = re.search(r"^doom-rate: (\d+) tics in (\d+) ms \(([\d.]+) tics/s\)",
                  text, re.M)
    print("doom_playdemo_tics_per_s: " +
          (f"{m.group(3)} tics/s ({m.group(1)} tics in {m.group(2)} ms)"
           if m else "failed"))
    want = re.search(END_RX, doom_guest(["-timedemo", "demo3"]), re.M)
    smallest = None
    for mib in DOOM_MEM_MIB:
        got = re.search(END_RX, doom_guest(["-timedemo", "demo3"],
                                           mem=f"{mib}M", timeout=300), re.M)
        if not want or not got or got.group(0) != want.group(0):
            break
        smallest = mib
    print("doom_min_mem: " + (f"{smallest} MiB" if smallest else "failed"))
    host = os.path.join(BUILD, "doom", "doom-host")
    wads = os.path.join(ROOT, "cache", "doom", "wads")
    for demo in DOOM_DEMOS:
        with tempfile.TemporaryDirectory() as d:
            start = time.monotonic()
            p = subprocess.run(
                [host, "-iwad", os.path.join(wads, "freedoom1.wad"),
                 "-config", f"{d}/a.cfg", "-extraconfig", f"{d}/b.cfg",
                 "-timedemo", demo],
                env=dict(os.environ, EMBER_DOOM_DIR=f"{d}/data"),
                capture_output=True, text=True, timeout=300)
            wall = time.monotonic() - start
        m = re.search(TIMED_RX, p.stderr, re.M)
        print(f"doom_linux_timedemo_{demo}: " +
              (f"{wall:.2f} s wall, {m.group(3)} fps" if m else "failed"))


def gl_bench():
    """tests/user/bench_gl in QEMU as init's command, then on Linux."""
    with Guest(cmdline="init=/bin/init,-C,/scratch,/tests/bench_gl") as g:
        status = g.wait_exit(600)
        text = g.serial
    if status != EXIT_POWEROFF:
        print(f"bench: bench_gl ended with {status}", file=sys.stderr)
    for name, value in re.findall(r"^bench: (gl_\w+): (.+)$", text, re.M):
        print(f"{name}: {value}")
    host = os.path.join(BUILD, "tests", "user", "bin", "bench_gl")
    p = subprocess.run([host], capture_output=True, text=True, timeout=600)
    for name, value in re.findall(r"^bench: (gl_\w+): (.+)$", p.stdout,
                                  re.M):
        print(f"{name}_linux: {value}")
    sys.stdout.flush()


CALIB_BOOTS = 10
CALIB_RX = r"boot: TSC runs at (\d+) kHz \(measured against the ([^)]*)\)"


CONSOLE_LINES = 16000
CONSOLE_COLS = 80  # each line: 79 characters and its newline


CONSOLE_SCRIPT = f"""
yes {"x" * (CONSOLE_COLS - 1)} | head -n {CONSOLE_LINES} > /scratch/lines
mkdir /results
time -p cat /scratch/lines > /dev/null 2> /results/null
time -p cat /scratch/lines 2> /results/tty
"""


def console_times(tty_option):
    """Runs CONSOLE_SCRIPT with the tty= option; {result: seconds}."""
    img = disk_with("bench_console", {"run.sh": CONSOLE_SCRIPT.encode()})
    try:
        cmd = (f"tty={tty_option} "
               "init=/bin/init,-C,/scratch,/bin/sh,/scratch/run.sh")
        with Guest(cmdline=cmd, disk_image=img) as g:
            g.wait_exit(600)
            g.keep_disk(img)
        times = {}
        for name in ("null", "tty"):
            text = mtools("mtype", img, f"::/results/{name}").decode()
            m = re.search(r"^real ([\d.]+)", text, re.M)
            times[name] = m.group(1) if m else "?"
        return times
    finally:
        os.remove(img)


def console_bench():
    """16,000 lines of 80 characters to the screen and to /dev/null."""
    screen = console_times("screen")
    print(f"console_cat_screen_s: {screen['tty']} s")
    print(f"console_cat_dev_null_s: {screen['null']} s")
    both = console_times("serial")
    print(f"console_cat_serial_and_screen_s: {both['tty']} s")
    sys.stdout.flush()


def bound_bench():
    """The bounded-hold scenarios' wall-clock figures (hostile_bound.c)."""
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        img = os.path.join(d, "disk.img")
        subprocess.run(["cp", "--sparse=always", os.path.join(BUILD,
                        "disk.img"), img], check=True)
        mtools("mcopy", img, "-o", "/bin/busybox", "::/tests/busybox")
        text = ""
        for args in ("holds", "fair", "execs,/tests/busybox"):
            cmd = f"init=/bin/init,-C,/scratch,/tests/hostile_bound,{args}"
            with Guest(cmdline=cmd, disk_image=img) as g:
                g.wait_exit(600)
                text += g.serial
    for name, value in re.findall(r"^bench: (bound_\w+): (.+)$", text, re.M):
        print(f"{name}: {value}")
    sys.stdout.flush()


BOOT_RUNS = 5
PROMPT_RX = r"tty: first read, by pid \d+, (\d+) ms after kernel entry"
STEPS_RX = r"boot: steps end \(us after kernel entry\):(.*)$"


def median(values):
    v = sorted(values)
    return v[len(v) // 2]


def boot_bench():
    """BOOT_RUNS ordinary boots to the shell's prompt, in guest time."""
    prompts, banners, steps = [], [], {}
    for _ in range(BOOT_RUNS):
        with Guest(cmdline="loglevel=3") as g:
            m = g.wait_serial(PROMPT_RX, timeout=120)
            text = g.serial
        prompts.append(int(m.group(1)))
        m = re.search(r"kernel entry to banner in (\d+) ms", text)
        banners.append(int(m.group(1)) if m else -1)
        m = re.search(STEPS_RX, text, re.M)
        for name, us in re.findall(r"(\w+) (\d+)", m.group(1) if m else ""):
            steps.setdefault(name, []).append(int(us))
    runs = ", ".join(map(str, prompts))
    print(f"shell_prompt_after_entry: {median(prompts)} ms "
          f"(median of {BOOT_RUNS} boots: {runs})")
    print(f"boot_entry_to_banner: {median(banners)} ms "
          f"(median of {BOOT_RUNS} boots)")
    # Each step's own cost: its end less the previous step's end.
    prev = 0
    for name, ends in steps.items():
        end = median(ends)
        print(f"boot_step_{name}: {(end - prev) / 1000:.1f} ms "
              f"(ends at {end / 1000:.1f} ms)")
        prev = end
    print(f"boot_step_init_and_shell: {median(prompts) - prev / 1000:.1f} ms "
          "(to the shell's first read)")
    sys.stdout.flush()


def calibration_spread():
    """Boots CALIB_BOOTS times and reports the spread of the TSC's rate."""
    rates, refs = [], set()
    for _ in range(CALIB_BOOTS):
        with Guest(cmdline="hold") as g:
            m = g.wait_serial(CALIB_RX, timeout=120)
            rates.append(int(m.group(1)))
            refs.add(m.group(2))
    rates.sort()
    median = rates[len(rates) // 2]
    spread = (rates[-1] - rates[0]) / median * 100
    print(f"tsc_calibration_spread: {spread:.3f}% over {len(rates)} boots "
          f"({rates[0]}..{rates[-1]} kHz, against the {', '.join(refs)})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-doom", action="store_true")
    ap.add_argument("--doom-only", action="store_true")
    ap.add_argument("--no-quake", action="store_true")
    ap.add_argument("--quake-only", action="store_true")
    ap.add_argument("--gl-only", action="store_true")
    ap.add_argument("--console-only", action="store_true")
    ap.add_argument("--bound-only", action="store_true")
    ap.add_argument("--boot-only", action="store_true")
    a = ap.parse_args()
    set_current_test("bench")
    if a.doom_only:
        doom_bench()
        return 0
    if a.quake_only:
        bench_quake.quake_bench()
        return 0
    if a.gl_only:
        gl_bench()
        return 0
    if a.console_only:
        console_bench()
        return 0
    if a.bound_only:
        bound_bench()
        return 0
    if a.boot_only:
        boot_bench()
        return 0
    with Guest(cmdline="bench=all") as g:
        status = g.wait_exit(600)
        text = g.serial
    # User-mode figures: the benchmark program as init's command.
    with Guest(cmdline="init=/bin/init,-C,/scratch,/tests/bench_user") as g:
        ustatus = g.wait_exit(600)
        text += g.serial
    if ustatus != EXIT_POWEROFF:
        print(f"bench: user-mode run ended with {ustatus}", file=sys.stderr)
    for name, value in re.findall(r"^bench: (\w+): (.+)$", text, re.M):
        print(f"{name}: {value}")
    sys.stdout.flush()
    boot_bench()
    gl_bench()
    console_bench()
    bound_bench()
    calibration_spread()
    sys.stdout.flush()
    if not a.no_doom:
        doom_bench()
    if not a.no_quake:
        bench_quake.quake_bench()
    if status != EXIT_PASS:
        print(f"bench: guest exited with {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
