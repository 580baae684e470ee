#!/usr/bin/env bash
# Installs the Debian packages Ember's build and tests need, and nothing else.
#
# Called by `make` before anything is built. It asks dpkg which packages are
# missing and runs apt-get only for those, so on a machine that already has
# everything it costs a fraction of a second. Packages come from Debian only
# (DEVELOPERS.md): nothing is downloaded from anywhere else.
#
# See: README.md
set -euo pipefail

PKGS=(
    build-essential gcc binutils make python3
    grub-pc-bin grub-efi-amd64-bin grub-common xorriso
    mtools dosfstools fdisk
    qemu-system-x86 qemu-utils ovmf
    console-setup-linux
    musl-tools musl-dev
    gdb clang-format clang libclang-rt-14-dev
    bsdextrautils dpkg-dev
    busybox-static
    time less procps  # Debian's own tools that the command tests compare with
    dash  # the shell the sh corpus (tests/sh/) is compared with
    fteqcc  # the Quake test game's QuakeC compiler
)
# A window for `make run` is optional: install the GUI part only when asked.
if [ "${EMBER_GUI:-0}" = 1 ]; then
    PKGS+=(qemu-system-gui)
fi

missing=()
for p in "${PKGS[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
