"""System tests of QUAKE on Ember (ports/quake/, docs/quake.md).

- quake_without_game_data: `quake` typed at the shell's prompt on the
  build's disk, whose game folder /usr/share/games/quake/id1 is empty,
  prints one line saying where pak0.pak goes and exits with status 1,
  and the shell comes back at once (the program never took the screen:
  the console is still shown, `echo ok` works). Then a pak cut short
  (`quake -basedir /scratch/game`, its id1/pak0.pak a generated pak
  truncated in the middle of its files) is refused with the port's
  "is truncated or damaged" line naming the file, status 1. The Linux
  build (build/quake/quake-host) prints the same two lines for the same
  inputs. The first line of both programs is the FPU control state they
  started with, which must be MXCSR 0x1F80 and x87 control word 0x37F on
  both systems: Ember sets it at execve (kernel/proc/exec.c), and the
  frame comparison relies on both programs starting alike.

See: docs/quake.md, tests/system/README.md
"""
import os
import struct
import subprocess
import tempfile

from harness import BUILD, check, systest
from session import Session, disk_with, mtools

QUAKE_HOST = os.path.join(BUILD, "quake", "quake-host")
GAME_DIR = "/usr/share/games/quake/id1"
FPU_LINE = "quake: fpu at start: mxcsr 0x1f80, x87 control word 0x037f"
NO_PAK_LINE = ("quake: no game data: put Quake's pak0.pak (shareware or full "
               "version) in " + GAME_DIR + "/")
PAK_ENTRY = struct.Struct("<56sii")  # name, file position, file length
PAK_HEADER = struct.Struct("<4sii")  # "PACK", directory offset, length


def make_pak(files):
    """A pak holding files ({name: bytes}): header, data, directory."""
    data = b""
    entries = b""
    pos = PAK_HEADER.size
    for name, body in files.items():
        entries += PAK_ENTRY.pack(name.encode(), pos, len(body))
        data += body
        pos += len(body)
    return PAK_HEADER.pack(b"PACK", pos, len(entries)) + data + entries


def truncated_pak():
    """A pak whose second file runs past the end of the cut-short file; its
    directory is kept whole at the end, so only the file extents are off."""
    pak = make_pak({"a.lmp": bytes(range(256)) * 4,
                    "b.lmp": b"\x5a" * 4096})
    dirofs, dirlen = struct.unpack_from("<ii", pak, 4)
    directory = pak[dirofs:dirofs + dirlen]
    cut = PAK_HEADER.size + 1024 + 1000  # all of a.lmp, part of b.lmp
    body = bytearray(pak[:cut])
    struct.pack_into("<i", body, 4, len(body))  # the directory moves up
    return bytes(body) + directory, len(body) + len(directory)


def host_lines(args, cwd):
    """The Linux build's output lines (stdout and stderr) and status."""
    check(os.access(QUAKE_HOST, os.X_OK),
          f"{QUAKE_HOST} missing: run make quake-host")
    p = subprocess.run([QUAKE_HOST] + args, cwd=cwd, capture_output=True,
                       text=True, timeout=60)
    return (p.stdout + p.stderr).splitlines(), p.returncode


@systest("quake_without_game_data", timeout=150)
def quake_without_game_data():
    pak, pak_len = truncated_pak()
    bad_line = (f"quake: /scratch/game/id1/pak0.pak is truncated or damaged:"
                f" its file b.lmp ends at byte {12 + 1024 + 4096}, but the "
                f"pak has {pak_len} bytes")

    # Linux first: the same program, the same lines.
    with tempfile.TemporaryDirectory(dir=BUILD) as d:
        lines, status = host_lines(["-basedir", os.path.join(d, "none")], d)
        check(status == 1, f"Linux, no pak: status {status}, want 1")
        check(lines[:1] == [FPU_LINE], f"Linux FPU line: {lines[:1]!r}")
        want = NO_PAK_LINE.replace(GAME_DIR, os.path.join(d, "none", "id1"))
        check(want in lines, f"Linux, no pak: {lines!r}")
        os.makedirs(os.path.join(d, "game", "id1"))
        with open(os.path.join(d, "game", "id1", "pak0.pak"), "wb") as f:
            f.write(pak)
        lines, status = host_lines(["-basedir", os.path.join(d, "game")], d)
        check(status == 1, f"Linux, truncated pak: status {status}, want 1")
        host_bad = bad_line.replace("/scratch/game",
                                    os.path.join(d, "game"))
        check(host_bad in lines, f"Linux, truncated pak: {lines!r}")

    img = disk_with("quake_without_game_data", {"pak0.pak": pak})
    try:
        mtools("mmd", img, "::/scratch/game", "::/scratch/game/id1")
        mtools("mmove", img, "::/scratch/pak0.pak", "::/scratch/game/id1/")
        with Session(disk_image=img) as s:
            out = s.run("quake", timeout=60).splitlines()
            check(out[:1] == [FPU_LINE], f"Ember FPU line: {out[:1]!r}")
            check(NO_PAK_LINE in out, f"no pak: {out!r}")
            s.expect("echo $?", "1\n")
            out = s.run("quake -basedir /scratch/game", timeout=60)
            check(bad_line in out.splitlines(), f"truncated pak: {out!r}")
            s.expect("echo $?", "1\n")
            s.expect("echo ok", "ok\n")
    finally:
        os.remove(img)
