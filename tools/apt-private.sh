#!/usr/bin/env bash
# Makes a private apt configuration that sees source packages of given suites.
#
# The build fetches third-party sources (Chocolate Doom, Quakespasm) with
# apt's own tools, which verify the archive's signatures and the files'
# hashes. They need deb-src entries, sometimes of another suite than the
# machine's, and adding those to the system's sources would change what
# every later apt command on the machine sees. So this script writes an
# apt.conf of its own under DIR: no system source list, and source parts,
# package lists and caches inside DIR. The one source entry is derived from
# the machine's existing Debian entry (a deb822 .sources file or the
# one-line sources.list of a debootstrapped root): the same archive and
# keyring, type deb-src, the given suites, component main. No registry host
# is written in this repository: it comes from the machine at run time.
#
# Usage: APT_CONFIG=$(bash tools/apt-private.sh DIR SUITE...) apt-get source ...
# Prints the apt.conf path on stdout after `apt-get update` with it.
# See: docs/doom.md, docs/quake.md
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: apt-private.sh DIR SUITE..." >&2; exit 2; }
DIR=$1
shift
mkdir -p "$DIR/sources.list.d" "$DIR/lists/partial" "$DIR/cache/archives/partial"
DIR=$(cd "$DIR" && pwd)

archive=$(bash "$(dirname "$0")/apt-archive.sh")
read -r uri key <<<"$archive"

{
    echo "Types: deb-src"
    echo "URIs: $uri"
    echo "Suites: $*"
    echo "Components: main"
    [ "$key" = - ] || echo "Signed-By: $key"
} >"$DIR/sources.list.d/private.sources"

cat >"$DIR/apt.conf" <<CONF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$DIR/sources.list.d";
Dir::State::Lists "$DIR/lists";
Dir::Cache "$DIR/cache";
CONF

APT_CONFIG="$DIR/apt.conf" apt-get update -qq >"$DIR/update.log" 2>&1 ||
    { cat "$DIR/update.log" >&2; echo "apt-private: apt-get update failed" >&2; exit 1; }
echo "$DIR/apt.conf"
