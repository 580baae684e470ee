#!/usr/bin/env bash
# Fetches, once, the DOOM engine source and the Freedoom data into a cache.
#
# The engine is Debian's chocolate-doom source package (`apt-get source`),
# the data Debian's freedoom package (`apt-get download` + `dpkg-deb -x`):
# nothing third-party is committed, and everything comes from Debian.
# `apt-get source` needs a deb-src entry: tools/apt-private.sh makes one in a
# private apt configuration under the cache, so the system's own apt sources
# are never changed. The cache lives outside build/ (default cache/doom,
# ignored by git), so `make clean` does not download it again. A stamp file
# makes a second run a no-op; delete the cache folder to fetch again. Runs
# as root, or through sudo for the install of dpkg-dev.
#
# Usage: tools/fetch-doom.sh [CACHE_DIR]
# Leaves: CACHE_DIR/src -> the unpacked chocolate-doom source tree,
#         CACHE_DIR/wads/freedoom1.wad, CACHE_DIR/wads/freedoom2.wad
# See: docs/doom.md
set -euo pipefail

CACHE=${1:-cache/doom}
STAMP=$CACHE/.fetched

if [ -f "$STAMP" ] && [ -d "$CACHE/src/src/doom" ] &&
    [ -f "$CACHE/wads/freedoom1.wad" ] && [ -f "$CACHE/wads/freedoom2.wad" ]; then
    exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# dpkg-source (from dpkg-dev) unpacks what `apt-get source` downloads.
if ! command -v dpkg-source >/dev/null; then
    echo "fetch-doom: installing dpkg-dev"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends dpkg-dev >/dev/null
fi

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
. /etc/os-release
APT_CONFIG=$(bash "$(dirname "$0")/apt-private.sh" "$CACHE/apt" \
    "${VERSION_CODENAME:?fetch-doom: no VERSION_CODENAME in /etc/os-release}")
work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The engine. apt-get runs in the scratch folder, then the tree moves in.
if [ ! -d "$CACHE/src/src/doom" ]; then
    echo "fetch-doom: apt-get source chocolate-doom"
    (cd "$work" && APT_CONFIG=$APT_CONFIG apt-get source -qq chocolate-doom >/dev/null 2>"$work/log") ||
        { cat "$work/log" >&2; exit 1; }
    tree=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'chocolate-doom-*')
    [ -n "$tree" ] && [ -d "$tree/src/doom" ] ||
        { echo "fetch-doom: no source tree unpacked" >&2; exit 1; }
    rm -rf "$CACHE/$(basename "$tree")"
    mv "$tree" "$CACHE/"
    ln -sfn "$(basename "$tree")" "$CACHE/src"
fi

# The data: unpack the .deb without installing it.
if [ ! -f "$CACHE/wads/freedoom1.wad" ] || [ ! -f "$CACHE/wads/freedoom2.wad" ]; then
    echo "fetch-doom: apt-get download freedoom"
    # The machine's own lists may never have been fetched (a new root).
    apt-cache policy freedoom 2>/dev/null | grep -q 'Candidate: [0-9]' ||
        $SUDO apt-get update -qq
    (cd "$work" && apt-get download -qq freedoom >/dev/null 2>"$work/log") ||
        { cat "$work/log" >&2; exit 1; }
    dpkg-deb -x "$work"/freedoom_*.deb "$work/root"
    mkdir -p "$CACHE/wads"
    for w in freedoom1.wad freedoom2.wad; do
        found=$(find "$work/root" -name "$w" -type f | head -n 1)
        [ -n "$found" ] || { echo "fetch-doom: $w not in the package" >&2; exit 1; }
        cp "$found" "$CACHE/wads/$w"
    done
fi

{
    echo "chocolate-doom $(basename "$(readlink "$CACHE/src")")"
    (cd "$CACHE/wads" && sha256sum freedoom1.wad freedoom2.wad)
} >"$STAMP"
echo "fetch-doom: cached in $CACHE"
