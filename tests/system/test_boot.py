"""System tests of the foundation: boot to the banner on BIOS and UEFI,
the exception reports, the banner drawn on the screen, and the boot
steps timed in order.

See: tests/system/README.md
"""
import os
import re

from harness import EXIT_FAIL, EXIT_PASS, Guest, check, run_ktests, systest
from screen_text import load_psf

BANNER = r"^Ember \d+\.\d+\.\d+ \(x86_64\), booted by GRUB"


def boot_to_banner(uefi):
    with Guest(cmdline="ktest=boot_*", uefi=uefi) as g:
        g.wait_serial(BANNER, timeout=60)
        g.wait_serial(r"^memory: \d+ MiB usable$", timeout=10)
        g.wait_serial(r"^screen: 1024x768, 32 bpp, pitch \d+, console 128x48$",
                      timeout=10)
        g.wait_serial(r"^command line: .*harness", timeout=10)
        g.wait_serial(r"kernel entry to banner in \d+ ms", timeout=10)
        g.expect_exit(EXIT_PASS, timeout=60)


@systest("boot_banner_bios")
def _():
    boot_to_banner(uefi=False)


@systest("boot_banner_uefi", timeout=180)
def _():
    boot_to_banner(uefi=True)


@systest("boot_without_framebuffer")
def _():
    """No video card: GRUB passes no framebuffer, and Ember says so and runs
    on the serial console alone."""
    with Guest(cmdline="ktest=boot_*", vga="none") as g:
        g.wait_serial(BANNER, timeout=60)
        g.wait_serial(r"^screen: none, serial console only$", timeout=10)
        g.wait_serial(r"console: no framebuffer from the boot loader; "
                      r"running on the serial console alone", timeout=10)
        g.expect_exit(EXIT_PASS, timeout=60)


@systest("boot_ktests")
def _():
    return run_ktests("boot_*")


def check_report(text, name, vector, error, cause=None):
    """Checks the exception report in text, field by field."""
    m = re.search(r"^EXCEPTION: (.*), vector (\d+), error code 0x([0-9a-f]+)$",
                  text, re.M)
    check(m, "no EXCEPTION line")
    check(m.group(1) == name, f"exception name {m.group(1)!r}")
    check(int(m.group(2)) == vector, f"vector {m.group(2)}")
    check(int(m.group(3), 16) == error, f"error code {m.group(3)}")
    report = text[m.start():]
    for reg in ["RIP", "RSP", "RFLAGS", "CS", "SS", "RAX", "RBX", "RCX",
                "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10", "R11", "R12",
                "R13", "R14", "R15"]:
        check(re.search(rf"\b{reg}\s+[0-9a-f]+", report), f"no {reg} field")
    check(re.search(r"^  CS\s+0008\s", report, re.M), "CS is not 0x08")
    check(re.search(r"SS\s+0010$", report, re.M), "SS is not 0x10")
    if cause:
        check(re.search(rf"^  cause: {cause}$", report, re.M),
              f"cause line is not {cause!r}")
    check(re.search(r"^backtrace:$", report, re.M), "no backtrace")
    check(re.search(r"^  [0-9a-f]{16}  ktest_run\+0x", report, re.M),
          "backtrace does not reach ktest_run")
    check(re.search(r"^  [0-9a-f]{16}  kmain\+0x", report, re.M),
          "backtrace does not reach kmain")
    check(re.search(rf"^PANIC: unhandled {re.escape(name)} in kernel mode$",
                    report, re.M), "no PANIC line")
    return report


def page_fault(uefi):
    with Guest(cmdline="ktest=crash_page_fault", uefi=uefi) as g:
        g.expect_exit(EXIT_FAIL, timeout=120)
        r = check_report(g.serial, "Page Fault (#PF)", 14, 2,
                         "page not present, write, kernel mode")
        check(re.search(r"^  CR2\s+00000000deadb000$", r, re.M), "CR2 wrong")
        check(re.search(r"RAX\s+00000000deadb000", r), "RAX wrong")
        check(re.search(r"R12\s+1122334455667788", r), "R12 wrong")
        check(re.search(r"^  RIP\s+ffffffff8[0-9a-f]+  "
                        r"<ktest_fn_crash_page_fault\+0x[0-9a-f]+>$", r, re.M),
              "RIP not symbolised as the faulting function")


def divide_error(uefi):
    with Guest(cmdline="ktest=crash_divide", uefi=uefi) as g:
        g.expect_exit(EXIT_FAIL, timeout=120)
        r = check_report(g.serial, "Divide Error (#DE)", 0, 0)
        check(re.search(r"R13\s+abcdef0123456789", r), "R13 wrong")
        check(re.search(r"RAX\s+0000000000001234", r), "RAX wrong")
        check(re.search(r"^  RIP\s+ffffffff8[0-9a-f]+  "
                        r"<ktest_fn_crash_divide\+0x[0-9a-f]+>$", r, re.M),
              "RIP not symbolised as the faulting function")


@systest("exception_page_fault_bios")
def _():
    page_fault(False)


@systest("exception_divide_bios")
def _():
    divide_error(False)


@systest("exception_page_fault_uefi", timeout=180)
def _():
    page_fault(True)


@systest("exception_divide_uefi", timeout=180)
def _():
    divide_error(True)


@systest("screen_shows_banner")
def _():
    """The first text row on the screen is the banner line, pixel for pixel
    as the font draws it (foreground vs background per pixel)."""
    with Guest(cmdline="hold") as g:
        m = g.wait_serial(BANNER + r".*\n", timeout=60)
        line = m.group(0).rstrip("\n")
        g.wait_serial(r"holding for the harness", timeout=10)
        img = g.screendump()
        width, height, glyphs = load_psf()
        check(img.width == 1024 and img.height == 768,
              f"screen is {img.width}x{img.height}")
        bg = img.pixel(img.width - 1, 0)
        cols = img.width // width
        text = line.ljust(cols)
        bad = 0
        lit = 0
        for col, ch in enumerate(text[:cols]):
            rows = glyphs.get(ord(ch), glyphs[ord("?")])
            for y in range(height):
                for x in range(width):
                    want = bool(rows[y] & (0x80 >> x))
                    got = img.pixel(col * width + x, y) != bg
                    lit += got
                    bad += want != got
        check(lit > 200, "nothing drawn on the first row")
        check(bad == 0, f"{bad} pixels of the banner row differ from the font")
        g.send_serial(b"q")
        g.expect_exit(EXIT_PASS, timeout=30)
        if os.environ.get("EMBER_SCREENSHOT"):
            img.save_png(os.environ["EMBER_SCREENSHOT"])


BOOT_STEPS = ["cpu_tables_and_options", "memory", "acpi", "tsc_calibration",
              "console", "banner", "timer_and_rtc", "ps2", "scheduler",
              "disk_and_mount", "processes"]


@systest("boot_steps_reported_in_order")
def _():
    """At loglevel=3 kmain() logs when each boot step ended (the budget
    `make bench` prints): every step is there, in boot order, each at or
    after the one before, and all before the shell's first read, which
    the terminal logs in the same guest time."""
    with Guest(cmdline="loglevel=3") as g:
        m = g.wait_serial(r"tty: first read, by pid \d+, (\d+) ms after "
                          r"kernel entry", timeout=60)
        prompt_us = int(m.group(1)) * 1000
        text = g.serial
    m = re.search(r"boot: steps end \(us after kernel entry\):(.*)$", text,
                  re.M)
    check(m, "no line of boot steps")
    steps = re.findall(r"(\w+) (\d+)", m.group(1))
    names = [name for name, _ in steps]
    check(names == BOOT_STEPS, f"steps {names}")
    ends = [int(us) for _, us in steps]
    check(all(a <= b for a, b in zip(ends, ends[1:])),
          f"step ends go backwards: {ends}")
    check(0 < ends[0] and ends[-1] < prompt_us + 1000,
          f"steps end at {ends} us, the prompt at {prompt_us} us")


@systest("boot_init_arguments")
def init_arguments():
    """init= hands init every word of its list, up to the kernel's 64, and
    refuses a longer list with a log line instead of cutting it short
    (busybox's test suite silently lost its last applets that way, #17)."""
    words = [f"w{i}" for i in range(1, 63)]
    cmd = "init=" + ",".join(["/bin/init", "/bin/echo"] + words)
    with Guest(cmdline=cmd) as g:
        g.wait_serial(r"^" + " ".join(words) + r"\s*$", timeout=60)
        g.wait_exit(60)
    cmd = "init=" + ",".join(["/bin/init", "/bin/echo"] + words + ["w63"])
    with Guest(cmdline=cmd) as g:
        g.wait_serial(r"boot: init= has more than 64 arguments", timeout=60)
        g.expect_exit(EXIT_FAIL, timeout=30)
        check(" ".join(words) not in g.serial, "echo ran with a cut list")


@systest("boot_long_command_line_is_said")
def long_command_line():
    """A command line past the kernel's 511 bytes is cut there, and the log
    says so in one warning instead of dropping the rest silently."""
    with Guest(cmdline="pad=" + "x" * 600) as g:
        g.wait_serial(r"boot: command line longer than 511 bytes; the rest "
                      r"is ignored", timeout=60)
    with Guest(cmdline="pad=" + "x" * 100) as g:
        g.wait_serial(r"Type help", timeout=60)
        check("command line longer" not in g.serial, "a short line was cut")
