#!/usr/bin/env bash
# Runs `make test` (or other targets) in a brand-new Debian 12 root, as a new
# user's machine would: CI's proof that the two commands need nothing but
# git and make.
#
# A green run on a machine that already has every package proves nothing,
# so this script makes a fresh root with Debian's debootstrap (minbase
# variant, the machine's own archive from tools/apt-archive.sh), copies the
# host's apt source entries in (debootstrap alone gives only "bookworm
# main", and the host's entries also bring the updates and security
# suites, so versions match an up-to-date machine's), installs only git and
# make, clones the repository's committed HEAD into it, and runs make there
# as root. Everything else `make test` needs, tools/deps.sh must install.
#
# Safety. The root gets /dev, /proc and /sys mounted into it, and deleting
# a folder with a bind-mounted /dev inside deletes the host's devices. So
# every mount is made inside `unshare --mount --propagation private`: the
# mounts exist only in that namespace and vanish when it ends. The stage
# inside runs in its own process group, which is killed at the end so that
# nothing (a QEMU, say) keeps the namespace alive. Before deleting a root,
# the script refuses if `findmnt -R` lists anything under it, and it
# deletes with `rm -rf --one-file-system`.
#
# Downloaded .debs may be kept between runs on one machine (debootstrap's
# --cache-dir, and apt's archive folder bound in from FRESH_CACHE); the
# packages are still installed fresh every time.
#
# Usage: tools/fresh-root.sh [--keep] [TARGET...]     (default: test)
#   FRESH_DIR    where roots are made (default /var/tmp/ember-fresh)
#   FRESH_CACHE  downloaded-package cache (default /var/cache/ember-fresh)
# Prints the minutes of each phase; exits with make's status.
# See: README.md (Testing), tests/README.md
set -euo pipefail

if [ "${1:-}" = --inside ]; then
    # ---- stage 2: inside the private mount namespace ----
    root=$2 cache=$3 src=$4
    shift 4
    # Our process group, for stage 1 to end what is left of it.
    ps -o pgid= $$ | tr -d ' ' >"$root.pgid"
    mkdir -p "$root/dev" "$root/proc" "$root/sys" "$root/var/cache/apt/archives" \
        "$root/mnt/src"
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
    mount --bind -o ro "$src" "$root/mnt/src"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    t0=$(date +%s)
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        bash -euo pipefail -c '
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends git make ca-certificates >/dev/null
            git clone -q /mnt/src /root/ember
            echo "fresh-root: git and make installed, repository cloned at $(git -C /root/ember log --oneline -1)"
        '
    echo "fresh-root: phase packages+clone took $(( ($(date +%s) - t0) ))s"
    t0=$(date +%s)
    status=0
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c 'cd /root/ember && make "$@"' make "$@" || status=$?
    echo "fresh-root: phase make $* took $(( ($(date +%s) - t0) ))s (status $status)"
    exit "$status"
fi

# ---- stage 1: on the host ----
keep=0
if [ "${1:-}" = --keep ]; then
    keep=1
    shift
fi
[ $# -gt 0 ] || set -- test
[ "$(id -u)" -eq 0 ] || { echo "fresh-root: must run as root (sudo)" >&2; exit 1; }

here=$(cd "$(dirname "$0")/.." && pwd)
FRESH_DIR=${FRESH_DIR:-/var/tmp/ember-fresh}
FRESH_CACHE=${FRESH_CACHE:-/var/cache/ember-fresh}
mkdir -p "$FRESH_DIR" "$FRESH_CACHE/debootstrap" "$FRESH_CACHE/apt-archives/partial"

if ! command -v debootstrap >/dev/null; then
    echo "fresh-root: installing debootstrap on the host"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends debootstrap >/dev/null
fi

# No fallback to the host: without the archive there is no fresh root.
archive=$(bash "$here/tools/apt-archive.sh") ||
    { echo "fresh-root: FAILED: cannot find the Debian archive to make a root" >&2; exit 1; }
read -r uri keyring <<<"$archive"
. /etc/os-release

root=$(mktemp -d "$FRESH_DIR/root.XXXXXX")
chmod 755 "$root" # mktemp's 0700 would keep apt's _apt user out
pgid=

# Deletes the root unless something is still mounted under it.
cleanup() {
    if [ -n "$pgid" ]; then
        kill -9 -- "-$pgid" 2>/dev/null || true
    fi
    if [ "$keep" = 1 ]; then
        echo "fresh-root: kept $root"
        return
    fi
    if [ -n "$(findmnt -R -n -o TARGET "$root" 2>/dev/null)" ] ||
        grep -q " $root/" /proc/self/mountinfo; then
        echo "fresh-root: REFUSING to delete $root: something is mounted under it" >&2
        return
    fi
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT

t_all=$(date +%s)
t0=$t_all
echo "fresh-root: debootstrap --variant=minbase $VERSION_CODENAME into $root"
kr=()
[ "$keyring" = - ] || kr=(--keyring="$keyring")
if ! debootstrap --variant=minbase "${kr[@]}" \
    --cache-dir="$FRESH_CACHE/debootstrap" "$VERSION_CODENAME" "$root" "$uri" \
    >"$root.debootstrap.log" 2>&1; then
    tail -n 20 "$root.debootstrap.log" >&2
    echo "fresh-root: FAILED: debootstrap could not make a root (no network to the archive?)" >&2
    rm -f "$root.debootstrap.log"
    exit 1
fi
rm -f "$root.debootstrap.log"
echo "fresh-root: phase debootstrap took $(( $(date +%s) - t0 ))s"

# The host's enabled apt entries replace debootstrap's single line.
rm -f "$root/etc/apt/sources.list"
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && cp "$f" "$root/etc/apt/sources.list.d/"
done
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
# Keyrings that the host's entries name must exist in the root too.
for k in $(grep -ho 'Signed-By: *[^ ]*\|signed-by=[^] ]*' \
    "$root/etc/apt/sources.list.d/"* "$root/etc/apt/sources.list" 2>/dev/null |
    sed 's/.*[: =]//'); do
    if [ -f "$k" ] && [ ! -e "$root$k" ]; then
        mkdir -p "$root$(dirname "$k")"
        cp "$k" "$root$k"
    fi
done

log=$root.log
set +e
setsid --wait unshare --mount --propagation private --fork \
    bash "$here/tools/fresh-root.sh" --inside "$root" "$FRESH_CACHE" "$here" "$@" \
    2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# End whatever the stage left running in its process group.
pgid=$(cat "$root.pgid" 2>/dev/null || true)
[ -z "$pgid" ] || kill -9 -- "-$pgid" 2>/dev/null || true
pgid=
rm -f "$root.pgid"
echo "fresh-root: all phases took $(( $(date +%s) - t_all ))s; make $* exited $status"
# The suite's verdict line stays the last line of the output.
verdict=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
rm -f "$log"
[ -z "$verdict" ] || echo "$verdict"
exit "$status"
