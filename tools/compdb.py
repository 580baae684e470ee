#!/usr/bin/env python3
"""Writes compile_commands.json, so that clangd and other tools see the
flags each C file is really built with.

The Makefile's `compdb` rule calls this with one group per way of compiling
(the kernel, the host tests, the user programs): the compiler and flags
taken from the same make variables its rules use, then the group's sources.
Generating from the variables, rather than recording a build with a tracer,
needs no package and no build, and cannot drift from the rules. A file in
two groups (a portable file is built for the kernel and for the host) keeps
its first entry, the kernel's.

Usage: compdb.py OUT.json --group "CC FLAGS..." FILE... [--group ...]
See: docs/conventions.md, README.md
"""
import json
import os
import shlex
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def parse(args):
    """[(compiler and flags as a list, [source, ...]), ...]"""
    groups = []
    i = 0
    while i < len(args):
        if args[i] != "--group" or i + 1 >= len(args):
            raise SystemExit(f"compdb: expected --group \"CC FLAGS\", "
                             f"got {args[i]!r}")
        groups.append((shlex.split(args[i + 1]), []))
        i += 2
        while i < len(args) and args[i] != "--group":
            groups[-1][1].append(args[i])
            i += 1
    return groups


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out = sys.argv[1]
    entries, seen = [], set()
    for cmd, sources in parse(sys.argv[2:]):
        for src in sources:
            if src in seen or not src.endswith(".c"):
                continue
            seen.add(src)
            obj = os.path.join("build", "compdb", src + ".o")
            entries.append({
                "directory": ROOT,
                "file": os.path.join(ROOT, src),
                "arguments": cmd + ["-c", src, "-o", obj],
                "output": obj,
            })
    with open(out, "w") as f:
        json.dump(entries, f, indent=1)
        f.write("\n")
    print(f"compdb: {len(entries)} files in {out}")


if __name__ == "__main__":
    main()
