#!/usr/bin/env bash
# Prints the machine's Debian archive: its URI and keyring, from apt's sources.
#
# The build and CI need the archive's address to fetch source packages
# (tools/apt-private.sh) and to make a fresh Debian root
# (tools/fresh-root.sh), and no registry host may be written in this
# repository, so it is read at run time from the machine's own apt
# configuration: the first "deb" entry whose suites include the machine's
# codename (/etc/os-release), in a deb822 .sources file or, as in a
# debootstrapped root, in the one-line /etc/apt/sources.list.
#
# Usage: read -r uri keyring < <(bash tools/apt-archive.sh)
# Prints "URI KEYRING" (KEYRING is "-" when the entry names none); exits 1
# with a message when there is no such entry.
# See: tools/README.md
set -euo pipefail

. /etc/os-release
BASE=${VERSION_CODENAME:?apt-archive: /etc/os-release has no VERSION_CODENAME}

for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    found=$(awk -v base="$BASE" '
        BEGIN { RS = ""; FS = "\n" }
        {
            t = u = s = k = ""
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^Types:/) t = $i
                else if ($i ~ /^URIs:/) { u = $i; sub(/^URIs:[ \t]*/, "", u); sub(/[ \t].*/, "", u) }
                else if ($i ~ /^Suites:/) s = " " substr($i, 8) " "
                else if ($i ~ /^Signed-By:/) { k = $i; sub(/^Signed-By:[ \t]*/, "", k) }
            }
            if (t ~ /[ \t]deb([ \t]|$)/ && s ~ ("[ \t]" base "[ \t]") && u != "") {
                print u, (k == "" ? "-" : k); exit
            }
        }' "$f")
    [ -n "$found" ] && { echo "$found"; exit 0; }
done
if [ -f /etc/apt/sources.list ]; then
    # One-line style: deb [options] URI SUITE COMPONENTS...
    found=$(awk -v base="$BASE" '
        $1 == "deb" {
            i = 2; k = "-"
            if ($2 ~ /^\[/) {
                for (; i <= NF; i++) {
                    if ($i ~ /signed-by=/) { k = $i; sub(/.*signed-by=/, "", k); sub(/\]$/, "", k) }
                    if ($i ~ /\]$/) { i++; break }
                }
            }
            if ($(i + 1) == base) { print $i, k; exit }
        }' /etc/apt/sources.list)
    [ -n "$found" ] && { echo "$found"; exit 0; }
fi
echo "apt-archive: no Debian '$BASE' entry in the machine's apt sources" >&2
exit 1
