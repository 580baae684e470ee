"""System tests of time: the guest's uptime against the host's clock, the
RTC's date against the host's UTC date, the in-kernel time tests, and
time zones (TZ) against Debian's date.

The guest runs `ktest=time_echo` (tests/kernel/test_time.c): each byte sent
on COM1 makes it print its uptime, tick counts, Unix time, RTC date and
time of day (CLOCK_REALTIME's source). The host notes its own clock when it
sends the byte and when the line arrives, and takes the midpoint. The time
comes from the TSC, not from counting interrupts, so it holds on a busy host
where many ticks are lost (the line says how many); the long test holds the
wall clock to 0.2% of the host's over 60 s, plus 250 ms for serial latency.

See: docs/interrupts.md
"""
import datetime
import subprocess
import re
import time

from harness import EXIT_PASS, Guest, check, run_ktests, systest

TIME_LINE = (r"^time: uptime_ms=(\d+) ticks=(\d+) lost=(\d+) unix=(\d+) "
             r"date=(\d{4}-\d\d-\d\d) clock=(\d\d:\d\d:\d\d) "
             r"real_ms=(\d+)\n")
RUN_SECONDS = 5.0
MAX_DRIFT = 0.05
TICK_MS = 1193 / 1193182 * 1000  # PIT divisor 1193 (kernel/drivers/timer.c)


WALL_SECONDS = 60.0
WALL_MAX_DRIFT = 0.002
WALL_SERIAL_MS = 250


def sample(g, start, clock=time.monotonic):
    """Asks the guest for a time line; returns (host_s, match, next_start)."""
    before = clock()
    g.send_serial(b"t")
    m = g.wait_serial(TIME_LINE, timeout=20, start=start)
    after = clock()
    return (before + after) / 2, m, m.end()


@systest("time_uptime_tracks_host_clock", solo=True)
def _():
    with Guest(cmdline="ktest=time_echo") as g:
        start = g.wait_serial(r"^time: ready\n", timeout=60).end()
        h0, m0, start = sample(g, start)
        time.sleep(RUN_SECONDS)
        h1, m1, start = sample(g, start)
        host_ms = (h1 - h0) * 1000
        guest_ms = int(m1.group(1)) - int(m0.group(1))
        drift = (guest_ms - host_ms) / host_ms
        lost = int(m1.group(3)) - int(m0.group(3))
        # What counting interrupts alone would have given (docs/interrupts.md)
        irq_ms = (int(m1.group(2)) - int(m0.group(2))) * TICK_MS
        print(f"time: guest {guest_ms} ms, host {host_ms:.0f} ms over "
              f"{RUN_SECONDS:.0f} s: drift {drift * 100:+.2f}% "
              f"({lost} ticks lost; counting interrupts alone: "
              f"{(irq_ms - host_ms) / host_ms * 100:+.2f}%)", flush=True)
        check(abs(drift) <= MAX_DRIFT,
              f"uptime drifted {drift * 100:+.2f}% (guest {guest_ms} ms, "
              f"host {host_ms:.0f} ms)")
        g.send_serial(b"\x04")
        g.expect_exit(EXIT_PASS, timeout=20)


@systest("time_rtc_date_matches_host_utc")
def _():
    with Guest(cmdline="ktest=time_echo") as g:
        start = g.wait_serial(r"^time: ready\n", timeout=60).end()
        before = datetime.datetime.now(datetime.timezone.utc)
        _, m, start = sample(g, start)
        after = datetime.datetime.now(datetime.timezone.utc)
        dates = {before.strftime("%Y-%m-%d"), after.strftime("%Y-%m-%d")}
        check(m.group(5) in dates,
              f"guest RTC date {m.group(5)}, host UTC {sorted(dates)}")
        unix = int(m.group(4))
        check(before.timestamp() - 5 <= unix <= after.timestamp() + 5,
              f"guest Unix time {unix}, host {before.timestamp():.0f}")
        rtc = datetime.datetime.strptime(f"{m.group(5)} {m.group(6)} +0000",
                                         "%Y-%m-%d %H:%M:%S %z")
        check(abs(rtc.timestamp() - unix) <= 1,
              f"Unix time {unix} and RTC {rtc} disagree")
        g.send_serial(b"\x04")
        g.expect_exit(EXIT_PASS, timeout=20)


@systest("time_and_irq_ktests", solo=True)
def _():
    return run_ktests("irq_*,time_*,input_*")


@systest("time_wall_clock_follows_host", solo=True, long=True)
def _():
    """Over 60 s the guest's time of day gains or loses at most 0.2%."""
    with Guest(cmdline="ktest=time_echo") as g:
        start = g.wait_serial(r"^time: ready\n", timeout=60).end()
        h0, m0, start = sample(g, start, time.time)
        time.sleep(WALL_SECONDS)
        h1, m1, start = sample(g, start, time.time)
        host_ms = (h1 - h0) * 1000
        guest_ms = int(m1.group(7)) - int(m0.group(7))
        err_ms = guest_ms - host_ms
        print(f"time: wall clock {guest_ms} ms in guest, {host_ms:.0f} ms on "
              f"the host over {WALL_SECONDS:.0f} s: {err_ms:+.0f} ms "
              f"({err_ms / host_ms * 100:+.3f}%)", flush=True)
        check(abs(err_ms) <= host_ms * WALL_MAX_DRIFT + WALL_SERIAL_MS,
              f"wall clock off by {err_ms:+.0f} ms over {host_ms:.0f} ms")
        g.send_serial(b"\x04")
        g.expect_exit(EXIT_PASS, timeout=20)


# - time_zones_follow_tz: `date` and `ls -l` honour TZ, a POSIX TZ string
#   as musl reads it. For each zone the guest prints the Unix time and
#   then the date in that zone; Debian's GNU date formats the same second
#   with the same TZ on the host, and the two must agree (the guest prints
#   both in one command line, so they are within a second or two: a
#   minute boundary between them is allowed for). `ls -l` of a new file
#   shows its time 9 hours on under TZ=JST-9. Without TZ it is UTC.
ZONES = ["JST-9", "EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3",
         "NZST-12NZDT,M9.5.0,M4.1.0/3", "<+0530>-5:30"]
ZONE_FORMAT = "%Y-%m-%d %H:%M %Z"


def host_date(epoch, tz):
    out = subprocess.run(["date", "-d", f"@{epoch}", f"+{ZONE_FORMAT}"],
                         env={"TZ": tz}, check=True, capture_output=True)
    return out.stdout.decode().strip()


@systest("time_zones_follow_tz", timeout=60)
def time_zones_follow_tz():
    from session import Session
    with Session() as s:
        check(" UTC " in s.run("date"), "without TZ the date is not UTC")
        for tz in ZONES:
            out = s.run(f"export TZ='{tz}'; date +%s; date '+{ZONE_FORMAT}'")
            epoch, got = out.split("\n")[:2]
            want = {host_date(int(epoch) + d, tz) for d in (0, 60)}
            check(got in want, f"TZ={tz}: Ember says {got!r}, Debian's date "
                  f"{sorted(want)}")
        s.run("unset TZ; touch /scratch/tzfile")
        utc = s.run("ls -l /scratch/tzfile").split()[4]
        jst = s.run("TZ=JST-9; export TZ; ls -l /scratch/tzfile").split()[4]
        uh, um = map(int, utc.split(":"))
        jh, jm = map(int, jst.split(":"))
        check(jm == um and jh == (uh + 9) % 24,
              f"ls -l shows {utc} in UTC but {jst} under TZ=JST-9")
