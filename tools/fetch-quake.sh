#!/usr/bin/env bash
# Fetches, once, Quakespasm 0.96.3's source (the Quake engine) into a cache.
#
# The engine is Debian's orig tarball quakespasm_0.96.3+dfsg.orig.tar.xz,
# pinned by its SHA-256 (the hash in Debian's signed Sources index); any
# other file is refused. `apt-get source` cannot fetch it whole (the .dsc
# and the debian tarball of 0.96.3+dfsg-1 are gone from the archive; only
# the orig tarball is served), so we do what apt itself would do, through a
# private apt configuration that never touches the system's sources:
# tools/apt-private.sh writes CACHE/apt/apt.conf with one deb-src entry for
# the suite, derived from the machine's own Debian sources, and updates its
# own lists; `apt-get source --print-uris` then names the orig tarball's URI
# and hash for a 0.96.3+dfsg-N revision, and apt-helper downloads it,
# checking the hash. Trixie is asked first, then forky, then sid. Adding
# trixie to the system's sources instead would make `apt-get source
# chocolate-doom` pick a version whose .dsc is gone (tools/fetch-doom.sh).
# No registry host is written anywhere in this repository. A stamp file
# makes a second run a no-op; delete the cache folder to fetch again.
#
# Usage: tools/fetch-quake.sh [CACHE_DIR]
# Leaves: CACHE_DIR/src -> the unpacked quakespasm-0.96.3 tree
# See: docs/quake.md
set -euo pipefail

CACHE=${1:-cache/quake}
STAMP=$CACHE/.fetched
TARBALL=quakespasm_0.96.3+dfsg.orig.tar.xz
TREE=quakespasm-0.96.3
PINNED_SHA256=e5f91a14fbd6ead50d6f582c1c69e80fc68f6d65cdf0c688c97be9045293b471
# Debian revisions of the same upstream release share the orig tarball.
VERSION_RE='^0\.96\.3\+dfsg-[0-9]+$'
SUITES=(trixie forky sid)
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if [ -f "$STAMP" ] && [ -f "$CACHE/src/Quake/host.c" ]; then
    exit 0
fi

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

have_tarball() {
    [ -f "$CACHE/$TARBALL" ] &&
        [ "$(sha256sum "$CACHE/$TARBALL" | cut -d' ' -f1)" = "$PINNED_SHA256" ]
}

# Prints "URI SHA256" of the orig tarball as SUITE's index lists it for a
# 0.96.3+dfsg-N revision, or nothing.
find_in_suite() {
    local suite=$1 conf versions v
    conf=$(bash "$ROOT/tools/apt-private.sh" "$CACHE/apt" "$suite" | tail -n 1)
    [ -f "$conf" ] || return 0
    versions=$(APT_CONFIG=$conf apt-cache showsrc quakespasm 2>/dev/null |
        sed -n 's/^Version: //p' | grep -E "$VERSION_RE" || true)
    for v in $versions; do
        # Lines: 'URI' NAME SIZE SHA256:HEX
        APT_CONFIG=$conf apt-get source --print-uris -qq "quakespasm=$v" \
            2>/dev/null | awk -v name="$TARBALL" '$2 == name {
                gsub("\047", "", $1); sub("^SHA256:", "", $4);
                print $1, $4; exit }'
    done | head -n 1
}

if ! have_tarball; then
    found=
    for suite in "${SUITES[@]}"; do
        echo "fetch-quake: looking for $TARBALL in $suite"
        found=$(find_in_suite "$suite")
        [ -n "$found" ] && break
    done
    if [ -z "$found" ]; then
        echo "fetch-quake: no quakespasm 0.96.3+dfsg-N source in" \
             "${SUITES[*]}" >&2
        exit 1
    fi
    uri=${found% *}
    sha=${found#* }
    if [ "$sha" != "$PINNED_SHA256" ]; then
        echo "fetch-quake: the index lists $TARBALL with SHA-256 $sha," \
             "not the pinned $PINNED_SHA256; refusing it" >&2
        exit 1
    fi
    rm -f "$CACHE/$TARBALL.part"
    # As root, apt-helper would warn that its _apt user can't write here.
    sandbox=()
    [ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
    /usr/lib/apt/apt-helper "${sandbox[@]}" download-file "$uri" \
        "$CACHE/$TARBALL.part" "SHA256:$PINNED_SHA256"
    mv "$CACHE/$TARBALL.part" "$CACHE/$TARBALL"
    have_tarball || { echo "fetch-quake: $TARBALL fails its hash" >&2; exit 1; }
fi

# Unpack into a scratch folder, then move the tree in.
work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xJf "$CACHE/$TARBALL"
[ -f "$work/$TREE/Quake/host.c" ] ||
    { echo "fetch-quake: $TARBALL holds no $TREE/Quake" >&2; exit 1; }
rm -rf "${CACHE:?}/$TREE"
mv "$work/$TREE" "$CACHE/"
ln -sfn "$TREE" "$CACHE/src"

echo "$TARBALL $PINNED_SHA256" >"$STAMP"
echo "fetch-quake: cached in $CACHE"
