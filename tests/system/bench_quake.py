"""QUAKE's figures for `make bench` (docs/quake.md), one guest at a time.

The demo is the test game's walk (tests/system/test_quake.py), recorded
afresh with the Linux build; each figure replays it with `timedemo walk`
and -demoquit, on the real clock, as init's command:
- quake_timedemo_<size>_fps: the engine's own "N frames T seconds F fps"
  at 320x200 and 640x400, with the blit (call 10: the frame scaled to the
  screen) and with -noblit (the engine and our GL only), each with the
  triangles and fragments drawn per frame (the port's quake-stats line);
- quake_frame_ms_<size>_<blit>: where a frame's time went, in ms a frame,
  from the same line: the engine (everything outside our GL and the
  blit), the GL's vertex stage (transform, clipping, projection), its
  triangle setup, its spans (the per-pixel work), glClear, texture
  uploads, and the blit, timed in the guest by the time-stamp counter;
- quake_blit_ms_per_frame_<size>: the difference of the two, per frame:
  what showing a frame costs; the rest is the engine and the GL;
- quake_realtime_fps: frames drawn per second of real-time play (the
  demo played at its own speed, `playdemo`, over the guest's clock);
- quake_min_mem: the smallest QEMU -m (MiB) with which the demo still
  replays to the same end state as with 256 MiB (default heap);
  quake_min_mem_heap16: the same with -heapsize 16384 (16 MiB, plenty
  for the test game: the engine needs about 5.3);
- quake_linux_timedemo_<size>: the same with the Linux build, for scale;
- quake_shareware_demo1_fps: with QUAKE_DIR set to a folder holding the
  user's pak0.pak, the shareware demo1 at 320x200. No shareware pak exists
  here, so this figure is unmeasured; the path itself is run by
  test_quake.py's quake_bench_quake_dir with the test game's pak (which
  has a demo1 too), through `bench_quake.py --quake-dir-only`.

See: docs/quake.md
"""
import os
import re
import subprocess
import sys
import tempfile

from harness import BUILD, Guest
from session import disk_with, mtools
import test_quake as tq

SIZES = [(320, 200), (640, 400)]
FPS_RX = r"^(\d+) frames\s+([\d.]+) seconds\s+([\d.]+) fps"
STATS_RX = r"^quake-stats: frames (\d+) triangles (\d+) culled (\d+) " \
    r"fragments (\d+)"
TIMES_RX = r"ms a frame: (.*)$"
MEM_MIB = [96, 80, 72, 64, 56]
# With a 16 MiB heap instead of the default 48.
SMALL_HEAP = ["-heapsize", "16384"]
MEM_MIB_SMALL_HEAP = [48, 40, 32, 24]


def guest_timedemo(img, args, mem="256M", basedir=tq.TEST_BASEDIR):
    cmd = f"init=/bin/init,-C,{basedir},/bin/quake,-basedir,.," + \
        ",".join(["-demoquit"] + args)
    with Guest(cmdline=cmd, disk_image=img, mem=mem) as g:
        try:
            g.wait_exit(900)
        except Exception as e:  # a hang or a crash: no figure
            print(f"bench: quake {' '.join(args)} (-m {mem}): {e}",
                  file=sys.stderr)
        return g.serial.replace("\r", "")


def figures(text):
    """(fps, seconds, frames, triangles/frame, fragments/frame) or None."""
    m = re.search(FPS_RX, text, re.M)
    st = re.search(STATS_RX, text, re.M)
    if not m or not st:
        return None
    frames = max(int(st.group(1)), 1)
    return (float(m.group(3)), float(m.group(2)), int(m.group(1)),
            int(st.group(2)) / frames, int(st.group(4)) / frames)


def frame_times(text):
    """The quake-stats line's "ms a frame" part: {stage: ms}, or None."""
    st = re.search(STATS_RX + r".*$", text, re.M)
    m = st and re.search(TIMES_RX, st.group(0))
    if not m:
        return None
    words = m.group(1).split()
    return {k: float(v) for k, v in zip(words[::2], words[1::2])}


def report_times(name, times):
    if times is None:
        print(f"{name}: failed")
        return
    print(f"{name}: " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()) +
          " ms")


def report(name, f):
    if f is None:
        print(f"{name}: failed")
        return
    print(f"{name}: {f[0]:.1f} fps ({f[2]} frames in {f[1]:.1f} s; "
          f"{f[3]:.0f} triangles, {f[4]:.0f} fragments a frame)")


def linux_timedemo(dem, w, h):
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        os.makedirs(os.path.join(d, "id1"))
        os.symlink(tq.TESTGAME, os.path.join(d, "id1", "pak0.pak"))
        with open(os.path.join(d, "id1", "walk.dem"), "wb") as f:
            f.write(dem)
        p = subprocess.run([tq.QUAKE_HOST, "-basedir", ".", "-demoquit",
                            "-noblit", "-width", str(w), "-height", str(h),
                            "+timedemo", "walk"], cwd=d, capture_output=True,
                           text=True, timeout=300)
        return p.stdout


def shareware(quake_dir):
    paks = [n for n in os.listdir(quake_dir)
            if re.fullmatch(r"pak\d\.pak", n, re.I)]
    if not paks:
        print(f"quake_shareware_demo1_fps: no pak in {quake_dir}")
        return
    img = disk_with("bench_quake_shareware", {})
    try:
        for n in paks:
            mtools("mcopy", img, "-o", os.path.join(quake_dir, n),
                   f"::{tq.GAME_DIR}/{n.lower()}")
        text = guest_timedemo(img, ["+timedemo", "demo1"],
                              basedir=os.path.dirname(tq.GAME_DIR))
        report("quake_shareware_demo1_fps", figures(text))
    finally:
        os.remove(img)


def smallest_mem(img, want, extra, mems):
    """The last of mems (MiB, falling) down to which the demo still ends in
    the state `want` (a quake-end match), or None."""
    smallest = None
    for mib in mems:
        got = re.search(r"^quake-end: .*$", guest_timedemo(
            img, extra + ["-fixedclock", "+timedemo", "walk"], mem=f"{mib}M"),
            re.M)
        if not (want and got and got.group(0) == want.group(0)):
            break
        smallest = mib
    return smallest


def quake_bench():
    dem = tq.record_demo()
    img = disk_with("bench_quake", {"walk.dem": dem})
    try:
        mtools("mmove", img, "::/scratch/walk.dem",
               f"::{tq.TEST_BASEDIR}/id1/")
        for w, h in SIZES:
            size = ["-width", str(w), "-height", str(h)]
            got = {}
            for blit, extra in (("blit", []), ("noblit", ["-noblit"])):
                text = guest_timedemo(img, size + extra +
                                      ["+timedemo", "walk"])
                got[blit] = figures(text)
                report(f"quake_timedemo_{w}x{h}_{blit}_fps", got[blit])
                report_times(f"quake_frame_ms_{w}x{h}_{blit}",
                             frame_times(text))
                sys.stdout.flush()
            if got["blit"] and got["noblit"]:
                per = (got["blit"][1] / got["blit"][2] -
                       got["noblit"][1] / got["noblit"][2]) * 1000
                print(f"quake_blit_ms_per_frame_{w}x{h}: {per:.1f} ms "
                      f"(engine and GL: "
                      f"{got['noblit'][1] / got['noblit'][2] * 1000:.1f} ms)")
        text = guest_timedemo(img, ["+playdemo", "walk"])
        m = re.search(r"^quake-rate: (\d+) frames in (\d+) ms \(([\d.]+) "
                      r"fps\)", text, re.M)
        print("quake_realtime_fps: " + (f"{m.group(3)} fps ({m.group(1)} "
                                        f"frames in {m.group(2)} ms)"
                                        if m else "failed"))
        # On the fixed clock: the last frame then cannot depend on speed.
        want = re.search(r"^quake-end: .*$", guest_timedemo(
            img, ["-fixedclock", "+timedemo", "walk"]), re.M)
        for name, extra, mems in (("quake_min_mem", [], MEM_MIB),
                                  ("quake_min_mem_heap16", SMALL_HEAP,
                                   MEM_MIB_SMALL_HEAP)):
            smallest = smallest_mem(img, want, extra, mems)
            print(f"{name}: " + (f"{smallest} MiB" if smallest else
                                 "failed"))
            sys.stdout.flush()
    finally:
        os.remove(img)
    for w, h in SIZES:
        text = linux_timedemo(dem, w, h)
        report(f"quake_linux_timedemo_{w}x{h}_noblit", figures(text))
        report_times(f"quake_linux_frame_ms_{w}x{h}_noblit",
                     frame_times(text))
    if os.environ.get("QUAKE_DIR"):
        shareware(os.environ["QUAKE_DIR"])
    sys.stdout.flush()


if __name__ == "__main__":
    # `--quake-dir-only`: the QUAKE_DIR figure alone (its test runs this).
    if sys.argv[1:] != ["--quake-dir-only"] or not os.environ.get("QUAKE_DIR"):
        sys.exit("usage: QUAKE_DIR=/path/to/id1 bench_quake.py "
                 "--quake-dir-only")
    shareware(os.environ["QUAKE_DIR"])
