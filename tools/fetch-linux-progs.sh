#!/usr/bin/env bash
# Fetches, once, the Linux programs of the "judge" tests into a cache.
#
# Issue #17 runs Debian's own static binaries unmodified in Ember: busybox
# (package busybox-static), bash (bash-static) and zsh (zsh-static), and
# busybox's test suite (testsuite/ of Debian's busybox source package). The
# binaries come out of their .deb with `apt-get download` + `dpkg-deb -x`,
# the test suite with `apt-get source` (through tools/apt-private.sh, as
# tools/fetch-doom.sh does); apt verifies the archive's signatures and each
# file's hash. Nothing is installed and nothing is committed: the tests copy
# these onto a copy of the test disk, never onto the default disk. The cache
# lives outside build/ (default cache/linux-progs), so `make clean` keeps
# it; a stamp file makes a second run a no-op.
#
# Usage: tools/fetch-linux-progs.sh [CACHE_DIR]
# Leaves: CACHE_DIR/bin/{busybox,bash,zsh} (static x86_64 ELF files),
#         CACHE_DIR/busybox-src -> the unpacked busybox source tree
#         (its testsuite/ is what tests/system/test_bbsuite.py runs).
# See: docs/linux-programs.md
set -euo pipefail

CACHE=${1:-cache/linux-progs}
STAMP=$CACHE/.fetched
PACKAGES="busybox-static bash-static zsh-static"

if [ -f "$STAMP" ] && [ -x "$CACHE/bin/busybox" ] && [ -x "$CACHE/bin/bash" ] &&
    [ -x "$CACHE/bin/zsh" ] && [ -d "$CACHE/busybox-src/testsuite" ]; then
    exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# dpkg-dev (dpkg-source, for `apt-get source`) comes with tools/deps.sh.
mkdir -p "$CACHE/bin"
CACHE=$(cd "$CACHE" && pwd)
work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The binaries: unpack each .deb without installing it.
for pkg in $PACKAGES; do
    apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]' ||
        $SUDO apt-get update -qq
    echo "fetch-linux-progs: apt-get download $pkg"
    (cd "$work" && apt-get download -qq "$pkg" >/dev/null 2>"$work/log") ||
        { cat "$work/log" >&2; exit 1; }
    rm -rf "$work/root"
    dpkg-deb -x "$work/${pkg}"_*.deb "$work/root"
    case $pkg in
    busybox-static) from=bin/busybox to=busybox ;;
    bash-static) from=bin/bash-static to=bash ;;
    zsh-static) from=bin/zsh-static to=zsh ;;
    esac
    [ -f "$work/root/$from" ] ||
        { echo "fetch-linux-progs: $from not in $pkg" >&2; exit 1; }
    cp "$work/root/$from" "$CACHE/bin/$to"
    chmod 755 "$CACHE/bin/$to"
    dpkg-deb -f "$work/${pkg}"_*.deb Version >"$CACHE/bin/$to.version"
done

# The test suite: the source package of the same busybox version.
if [ ! -d "$CACHE/busybox-src/testsuite" ]; then
    . /etc/os-release
    APT_CONFIG=$(bash "$(dirname "$0")/apt-private.sh" "$CACHE/apt" \
        "${VERSION_CODENAME:?fetch-linux-progs: no VERSION_CODENAME}")
    echo "fetch-linux-progs: apt-get source busybox"
    (cd "$work" && APT_CONFIG=$APT_CONFIG apt-get source -qq busybox \
        >/dev/null 2>"$work/log") || { cat "$work/log" >&2; exit 1; }
    tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*')
    [ -n "$tree" ] && [ -d "$tree/testsuite" ] ||
        { echo "fetch-linux-progs: no busybox source tree unpacked" >&2; exit 1; }
    rm -rf "${CACHE:?}/$(basename "$tree")"
    mv "$tree" "$CACHE/"
    ln -sfn "$(basename "$tree")" "$CACHE/busybox-src"
fi

{
    echo "busybox-src $(basename "$(readlink "$CACHE/busybox-src")")"
    (cd "$CACHE/bin" && sha256sum busybox bash zsh)
} >"$STAMP"
echo "fetch-linux-progs: cached in $CACHE"
