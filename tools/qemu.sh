#!/usr/bin/env bash
# Boots Ember in QEMU for a person: `make run`, `run-uefi`, `run-headless`,
# `debug`.
#
# The disk is run/disk.img, kept between runs: made from the pristine
# build/disk.img the first time, and refreshed on every run with the latest
# files from the build (mcopy -o) without touching anything else the user
# put there. Every command line uses -machine pc (q35 has no legacy IDE),
# boots the CD-ROM explicitly (-boot d: the disk's MBR has no boot code) and
# -no-reboot. QEMU runs on its software emulator (TCG); nothing here needs
# KVM.
#
# Usage: [EMBER_CMDLINE=options] qemu.sh run|run-uefi|headless|debug
# See: README.md, docs/boot.md
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
disk=run/disk.img
part_offset=$((2048 * 512)) # tools/mkdisk.sh puts the partition at 1 MiB

mkdir -p run
if [ ! -f "$disk" ]; then
    cp --sparse=always build/disk.img "$disk"
    echo "qemu: made $disk from build/disk.img"
else
    # The build's files replace their old copies; the user's stay.
    MTOOLS_SKIP_CHECK=1 mcopy -s -o -i "$disk@@$part_offset" \
        "${EMBER_DISK_ROOT:-build/diskroot}"/* ::/ || true
fi

args=(-machine pc -m 256M -no-reboot -boot d -cdrom build/ember.iso
      -drive "file=$disk,format=raw,if=ide,index=0,media=disk")
# Extra kernel options (e.g. `make run-doom`'s init=...) reach the kernel as
# the tests' do, through fw_cfg; QEMU wants each comma in them doubled.
# Where the serial line is the console (no window), tty=serial sends the
# terminal's output there too; with a window it goes to the screen alone.
cmdline=${EMBER_CMDLINE:-}
serial_console() {
    case " $cmdline " in
    *" tty="*) ;;
    *) cmdline="tty=serial${cmdline:+ $cmdline}" ;;
    esac
}
fw_cfg() {
    if [ -n "$cmdline" ]; then
        args+=(-fw_cfg "name=opt/ember/cmdline,string=${cmdline//,/,,}")
    fi
}

have_window() {
    [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || return 1
    EMBER_GUI=1 bash tools/deps.sh || return 1
    qemu-system-x86_64 -display help 2>/dev/null | grep -qE '^(gtk|sdl)$'
}

case "$mode" in
run|run-uefi)
    [ "$mode" = run-uefi ] && args+=(-bios /usr/share/ovmf/OVMF.fd)
    if have_window; then
        fw_cfg
        exec qemu-system-x86_64 "${args[@]}" -serial stdio
    fi
    echo "qemu: no display here (no \$DISPLAY, or no window support);" \
         "using the serial console on this terminal (ctrl-a x quits)"
    serial_console
    fw_cfg
    exec qemu-system-x86_64 "${args[@]}" -display none -serial mon:stdio
    ;;
headless)
    echo "qemu: serial console on this terminal; ctrl-a x quits"
    serial_console
    fw_cfg
    exec qemu-system-x86_64 "${args[@]}" -display none -serial mon:stdio
    ;;
debug)
    serial_console
    fw_cfg
    qemu-system-x86_64 "${args[@]}" -display none -serial file:run/serial.log \
        -s -S &
    qpid=$!
    trap 'kill $qpid 2>/dev/null || true' EXIT
    echo "qemu: waiting for gdb on :1234; serial output goes to run/serial.log"
    gdb -q build/ember.elf -ex 'target remote localhost:1234' \
        -ex 'break kmain' -ex 'continue'
    ;;
*)
    echo "usage: qemu.sh run|run-uefi|headless|debug" >&2
    exit 2
    ;;
esac
