"""Every map of both Freedoom IWADs loads and runs for a few seconds
(make test-long): 36 maps of freedoom1, 32 of freedoom2.

For each map the test generates an idle demo (a 13-byte version 1.9
header naming the map, 4 zero bytes per tic for DOOM_TICS tics, and the
0x80 end marker; nothing binary is committed) and puts them on a copy of
the disk with a shell script that plays each one with `-timedemo`. Each
file is named idleNN so that it cannot equal a lump name (the engine adds
a demo file as a lump called after it). A map passes when its timedemo
prints the engine's `timed N gametics` line with N = DOOM_TICS.

See: docs/doom.md, tests/system/test_doom.py
"""
import os
import re
import subprocess

from harness import BUILD, PART_OFFSET, Guest, check, scratch_dir, systest

WAD_DIR = "/usr/share/games/doom"
DOOM_TICS = 105  # three seconds at 35 tics a second
DEMO_VERSION = 109  # 1.9
SKILL = 2  # "Hurt me plenty"


def idle_demo(episode, level):
    header = bytes([DEMO_VERSION, SKILL, episode, level, 0, 0, 0, 0, 0,
                    1, 0, 0, 0])
    return header + bytes(4 * DOOM_TICS) + b"\x80"


def maps(iwad):
    """(name, episode, level) of every map in the IWAD."""
    if iwad == "freedoom1":
        return [(f"E{e}M{m}", e, m) for e in range(1, 5)
                for m in range(1, 10)]
    return [(f"MAP{m:02d}", 1, m) for m in range(1, 33)]


def run_maps(iwad):
    todo = maps(iwad)
    with scratch_dir() as d:
        disk = os.path.join(d, "disk.img")
        subprocess.run(["cp", "--sparse=always",
                        os.path.join(BUILD, "disk.img"), disk], check=True)
        lines = ["#!/bin/sh"]
        files = []
        for i, (name, episode, level) in enumerate(todo):
            path = os.path.join(d, f"idle{i:02d}.lmp")
            with open(path, "wb") as f:
                f.write(idle_demo(episode, level))
            files.append(path)
            lines.append(f"echo map {name}")
            lines.append(f"doom -iwad {WAD_DIR}/{iwad}.wad -timedemo "
                         f"idle{i:02d} -config c.cfg -extraconfig e.cfg")
        lines.append("echo maps done")
        script = os.path.join(d, "run.sh")
        with open(script, "w") as f:
            f.write("\n".join(lines) + "\n")
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        subprocess.run(["mcopy", "-i", f"{disk}@@{PART_OFFSET}"] + files +
                       [script, "::/scratch/"], check=True, env=env)
        cmd = "init=/bin/init,-C,/scratch,/bin/sh,/scratch/run.sh"
        with Guest(cmdline=cmd, disk_image=disk) as g:
            g.wait_serial(r"^maps done$", timeout=60 * len(todo))
            text = g.serial
    bad = []
    for name, _, _ in todo:
        m = re.search(rf"^map {name}\n(.*?)(?=^map |^maps done)", text,
                      re.M | re.S)
        timed = m and re.search(r"^timed (\d+) gametics", m.group(1), re.M)
        if not timed or int(timed.group(1)) != DOOM_TICS:
            bad.append(name)
    check(not bad, f"{len(bad)} of {len(todo)} maps did not run: "
          + " ".join(bad))


@systest("doom_every_map_freedoom1", timeout=2400, long=True)
def _():
    run_maps("freedoom1")


@systest("doom_every_map_freedoom2", timeout=2400, long=True)
def _():
    run_maps("freedoom2")
