#!/usr/bin/env python3
"""Writes the corpus of malformed ELF files that execve must refuse.

The same corpus tests/host/test_elf.c builds in memory, written out as files
for the in-QEMU execve test (which copies them to the FAT32 disk, runs
execve on each and expects -ENOEXEC with the kernel alive). It starts from
real musl programs: a static one (ET_EXEC) and, if given, a static-PIE one
(ET_DYN), for example build/tests/user/bin/test_files and
build/tests/user/bin/test_process-pie, and breaks one thing per file:
truncation at many offsets, each identification byte, machine, type, the
header sizes and counts, the two tables' offsets, segment sizes and
offsets, addresses in the kernel half or below 64 KiB, overlapping and
unordered segments, W+X, bad alignment, the entry point, an added
PT_INTERP, a non-PT_LOAD header past the end, no PT_LOAD at all.
Every named file goes to OUT/refuse/ and must get ENOEXEC. Then --random N
files (seeded xorshift64*, the generator test_elf.c uses, with the same
kinds of mutation) go to OUT/random/: each may be refused or may even run
and crash, but the kernel must live. OUT/MANIFEST lists every file with its
expectation and what was broken.

Python standard library only.
Usage: gen_malformed.py STATIC_ELF OUT_DIR [--pie PIE_ELF] [--random N]
                        [--seed S]
See: tests/user/malformed_elf/README.md, docs/syscalls.md
"""
import argparse
import os
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE, PT_PHDR = 0, 1, 2, 3, 4, 6
PT_GNU_STACK, PT_GNU_RELRO = 0x6474E551, 0x6474E552
PF_X, PF_W, PF_R = 1, 2, 4
USER_TOP = 0x00007FFFFFFFF000
PIE_BASE = 0x0000555555400000
MAX_PHNUM = 64
U64 = (1 << 64) - 1
EHDR_FIELDS = ["ident", "type", "machine", "version", "entry", "phoff",
               "shoff", "flags", "ehsize", "phentsize", "phnum", "shentsize",
               "shnum", "shstrndx"]
PHDR_FIELDS = ["type", "flags", "offset", "vaddr", "paddr", "filesz",
               "memsz", "align"]


class Elf:
    """A mutable copy of an ELF file with field-level access."""

    def __init__(self, data):
        self.data = bytearray(data)

    def copy(self):
        return Elf(self.data)

    def eh(self):
        return dict(zip(EHDR_FIELDS, EHDR.unpack_from(self.data, 0)))

    def set_eh(self, **kw):
        h = self.eh()
        h.update(kw)
        EHDR.pack_into(self.data, 0, *[h[f] for f in EHDR_FIELDS])
        return self

    def ph(self, i):
        off = self.eh()["phoff"] + i * PHDR.size
        return dict(zip(PHDR_FIELDS, PHDR.unpack_from(self.data, off)))

    def set_ph(self, i, **kw):
        p = self.ph(i)
        p.update(kw)
        off = self.eh()["phoff"] + i * PHDR.size
        PHDR.pack_into(self.data, off, *[p[f] & (U64 if f not in (
            "type", "flags") else 0xFFFFFFFF) for f in PHDR_FIELDS])
        return self

    def find(self, ptype, nth=0):
        for i in range(self.eh()["phnum"]):
            if self.ph(i)["type"] == ptype:
                if nth == 0:
                    return i
                nth -= 1
        return -1

    def text(self):
        n = 0
        while (i := self.find(PT_LOAD, n)) >= 0:
            if self.ph(i)["flags"] & PF_X:
                return i
            n += 1
        return -1


def named_corpus(base, tag):
    """Yields (name, bytes, why) for every file that must be refused."""
    size = len(base.data)
    eh = base.eh()
    assert eh["shoff"] + eh["shnum"] * 64 == size, "section table not last"

    for n in list(range(0, min(size, 1024), 8)) + list(range(1024, size, 997)):
        yield f"trunc-{n:06d}", bytes(base.data[:n]), f"truncated to {n}"
    for i in range(4):
        c = base.copy()
        c.data[i] ^= 0x20
        yield f"magic-{i}", c.data, f"magic byte {i} changed"
    for idx, val, why in [(4, 1, "ELFCLASS32"), (4, 0, "class 0"),
                          (4, 3, "class 3"), (5, 2, "big endian"),
                          (5, 0, "data 0"), (6, 0, "EI_VERSION 0"),
                          (6, 2, "EI_VERSION 2"), (7, 9, "OS ABI FreeBSD"),
                          (7, 0xFF, "OS ABI 255")]:
        c = base.copy()
        c.data[idx] = val
        yield f"ident-{idx}-{val}", c.data, why
    yield "e_version-2", base.copy().set_eh(version=2).data, "e_version 2"
    for m in [0, 3, 183, 0xFFFF]:
        yield f"machine-{m}", base.copy().set_eh(machine=m).data, f"machine {m}"
    for t in [0, 1, 4, 0xFE00, 0xFFFF]:
        yield f"type-{t}", base.copy().set_eh(type=t).data, f"e_type {t}"
    for field, vals in [("ehsize", [0, 52]), ("phentsize", [32, 64]),
                        ("phnum", [0, MAX_PHNUM + 1, 0xFFFF]),
                        ("shentsize", [0, 40]),
                        ("phoff", [size, size - 56, U64 - 10, 1 << 63]),
                        ("shoff", [size, size - 63, U64 - 63]),
                        ("shnum", [eh["shnum"] + 1, 0xFFFF])]:
        for v in vals:
            yield (f"{field}-{v:x}", base.copy().set_eh(**{field: v}).data,
                   f"e_{field} = {v:#x}")

    t, last = base.text(), base.find(PT_LOAD, 3)
    first = base.find(PT_LOAD, 0)
    tp, lp = base.ph(t), base.ph(last)
    bias = PIE_BASE if eh["type"] == 3 else 0
    seg_cases = [
        ("filesz-gt-memsz", t, {"filesz": tp["memsz"] + 1}),
        ("filesz-past-file", t, {"filesz": size}),
        ("offset-past-file", t, {"offset": size + 4096}),
        ("offset-wraps", t, {"offset": U64 - 4095}),
        ("offset-near-end", t, {"offset": size - 16}),
        ("filesz-huge", t, {"filesz": U64}),
        ("memsz-wraps", last, {"memsz": U64}),
        ("memsz-2-47", last, {"memsz": 1 << 47}),
        ("memsz-past-top", last, {"memsz": USER_TOP - (lp["vaddr"] + bias) + 1}),
        ("wx-text", t, {"flags": PF_R | PF_W | PF_X}),
        ("wx-data", last, {"flags": PF_R | PF_W | PF_X}),
        ("align-3", t, {"align": 3}),
        ("align-0x1800", t, {"align": 0x1800}),
        ("align-1g", t, {"align": 1 << 30}),
        ("align-2-63", t, {"align": 1 << 63}),
        ("vaddr-incongruent", t, {"vaddr": tp["vaddr"] + 8}),
        ("offset-incongruent", t, {"offset": tp["offset"] + 0x10}),
    ]
    low = lp["offset"] & 0xFFF
    # Low addresses are only wrong where there is no bias to move them up.
    for v in [0xFFFFFFFF80000000, 0xFFFF800000000000, USER_TOP,
              0x0000800000000000] + ([] if bias else [0, 0x1000, 0xF000]):
        seg_cases.append((f"vaddr-{v:x}", last, {"vaddr": (v & ~0xFFF) | low}))
    if not bias:
        seg_cases.append(("first-below-64k", first, {"vaddr": 0x8000}))
    for name, i, kw in seg_cases:
        yield f"seg-{name}", base.copy().set_ph(i, **kw).data, f"{name} {kw}"

    a, b = base.find(PT_LOAD, 1), base.find(PT_LOAD, 2)
    pa, pb = base.ph(a), base.ph(b)
    yield ("overlap-same-start",
           base.copy().set_ph(b, vaddr=(pa["vaddr"] & ~0xFFF) |
                              (pb["offset"] & 0xFFF)).data,
           "two PT_LOADs start on one page")
    end = pa["vaddr"] + pa["memsz"] - 1
    yield ("overlap-last-page",
           base.copy().set_ph(b, vaddr=(end & ~0xFFF) |
                              (pb["offset"] & 0xFFF)).data,
           "a PT_LOAD starts in the previous one's last page")
    yield ("overlap-grown",
           base.copy().set_ph(a, memsz=pb["vaddr"] - pa["vaddr"] + 1).data,
           "a PT_LOAD grows over the next")
    c = base.copy().set_ph(a, **pb)
    c.set_ph(b, **pa)
    yield "unordered", c.data, "two PT_LOADs swapped"

    for e, why in [(0, "0"), (base.ph(first)["vaddr"], "read-only segment"),
                   (base.ph(last)["vaddr"] + 8, "data segment"),
                   (tp["vaddr"] + tp["memsz"], "one past text"),
                   (tp["vaddr"] - 1, "one before text"),
                   (0xFFFFFFFF80001000, "kernel half"), (U64, "~0")]:
        if bias and e == 0:
            continue
        yield f"entry-{e:x}", base.copy().set_eh(entry=e).data, f"entry {why}"

    for ptype in (PT_GNU_STACK, PT_NOTE):
        i = base.find(ptype)
        if i >= 0:
            yield (f"interp-from-{ptype:x}",
                   base.copy().set_ph(i, type=PT_INTERP).data, "PT_INTERP")
    for ptype, field, val in [(PT_GNU_STACK, "offset", size + 1),
                              (PT_GNU_STACK, "filesz", size + 1),
                              (PT_GNU_RELRO, "filesz", U64),
                              (PT_DYNAMIC, "offset", U64 - 8),
                              (PT_NOTE, "filesz", size)]:
        i = base.find(ptype)
        if i >= 0:
            yield (f"phdr-{ptype:x}-{field}-past-end",
                   base.copy().set_ph(i, **{field: val}).data,
                   f"non-load header {field} past the end")
    c = base.copy()
    while (i := c.find(PT_LOAD)) >= 0:
        c.set_ph(i, type=PT_NULL)
    yield "no-load", c.data, "no PT_LOAD"
    i = base.find(PT_GNU_RELRO)
    if i >= 0:
        yield ("pt-phdr-unloaded",
               base.copy().set_ph(i, type=PT_PHDR, vaddr=0x20000,
                                  offset=eh["phoff"]).data,
               "PT_PHDR outside every PT_LOAD")


class XorShift:
    """xorshift64*, as in tests/host/test_elf.c."""

    def __init__(self, seed):
        self.s = seed & U64

    def next(self):
        s = self.s
        s ^= s >> 12
        s ^= (s << 25) & U64
        s ^= s >> 27
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & U64


def mutate(data, rng):
    """One of test_elf.c's mutations: bits, a field, a byte, or a cut."""
    hdr = min(64 + 56 * 12, len(data))
    kind = rng.next() % 5
    if kind == 0:
        for _ in range(1 + rng.next() % 4):
            data[rng.next() % hdr] ^= 1 << (rng.next() % 8)
    elif kind in (1, 2):
        v = rng.next() if rng.next() % 4 == 0 else [
            0, 1, 56, 64, 0x1000, 0x10000, len(data), len(data) + 1, USER_TOP,
            PIE_BASE, 1 << 63, 0xFFFFFFFF80000000, U64][rng.next() % 13]
        w = 8 if kind == 1 else (2 if rng.next() % 2 else 4)
        pos = (rng.next() % (hdr // w)) * w
        data[pos:pos + w] = (v & ((1 << (8 * w)) - 1)).to_bytes(w, "little")
    elif kind == 3:
        if data:
            data[rng.next() % len(data)] = rng.next() & 0xFF
    else:
        del data[rng.next() % (len(data) + 1):]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("static_elf")
    ap.add_argument("out_dir")
    ap.add_argument("--pie")
    ap.add_argument("--random", type=int, default=200)
    ap.add_argument("--seed", type=lambda s: int(s, 0), default=0x5EED0E1F)
    a = ap.parse_args()
    bases = [("static", a.static_elf)] + ([("pie", a.pie)] if a.pie else [])
    for sub in ("refuse", "random"):
        os.makedirs(os.path.join(a.out_dir, sub), exist_ok=True)
    manifest = []
    for tag, path in bases:
        with open(path, "rb") as f:
            base = Elf(f.read())
        for name, data, why in named_corpus(base, tag):
            rel = f"refuse/{tag}-{name}"
            with open(os.path.join(a.out_dir, rel), "wb") as f:
                f.write(data)
            manifest.append(f"{rel} ENOEXEC {why}")
    rng = XorShift(a.seed)
    originals = []
    for _, path in bases:
        with open(path, "rb") as f:
            originals.append(f.read())
    for i in range(a.random):
        data = bytearray(originals[i % len(originals)])
        for _ in range(1 + rng.next() % 3):
            mutate(data, rng)
        rel = f"random/mut-{i:05d}"
        with open(os.path.join(a.out_dir, rel), "wb") as f:
            f.write(data)
        manifest.append(f"{rel} ANY refused, or runs and may be killed")
    with open(os.path.join(a.out_dir, "MANIFEST"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    named = sum(1 for m in manifest if " ENOEXEC " in m)
    print(f"{named} files to refuse, {a.random} random, in {a.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
