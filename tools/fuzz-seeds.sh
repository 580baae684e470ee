#!/usr/bin/env bash
# Makes the seeds of the FAT32 fuzzer from real mkfs.fat + mtools images.
#
# Usage: fuzz-seeds.sh OUTDIR
# Each seed is the first sectors of a freshly made volume: the boot sector,
# FSInfo, the FATs, and the first data clusters, where mtools put a few
# directories and small files with short, lower-case and long names. The
# fuzzer (tests/host/fuzz_fat32.c) reads everything past a seed's end as
# zeros, so these few hundred KiB stand for a whole 34-40 MiB volume.
# Nothing binary is committed: the seeds are rebuilt from this script.
#
# See: docs/storage.md
set -euo pipefail

out=$1
tmp="$out.tmp"
rm -rf "$out" "$tmp"
mkdir -p "$out" "$tmp"
export MTOOLS_SKIP_CHECK=1

# make_seed NAME SIZE_KIB MKFS_OPTIONS...
make_seed() {
    local name=$1 size_kib=$2 img="$tmp/$1.img"
    shift 2
    truncate -s "${size_kib}K" "$img"
    /usr/sbin/mkfs.fat -F 32 -S 512 -i 454d4252 "$@" "$img" >/dev/null 2>&1
    printf 'hello\n' >"$tmp/small"
    head -c 3000 /dev/zero | tr '\0' 'x' >"$tmp/medium"
    mmd -i "$img" ::/dir ::/dir/sub "::/a long directory name"
    mcopy -i "$img" "$tmp/small" ::/readme.txt
    mcopy -i "$img" "$tmp/medium" "::/dir/sub/A Mixed Case Name.Txt"
    mcopy -i "$img" "$tmp/small" ::/dir/sub/file.txt
    mcopy -i "$img" "$tmp/medium" "::/a long directory name/DATA.BIN"
    # Keep everything up to 64 sectors past the start of the data area.
    local reserved fats fat_size data
    reserved=$(od -An -tu2 -j14 -N2 "$img" | tr -d ' ')
    fats=$(od -An -tu1 -j16 -N1 "$img" | tr -d ' ')
    fat_size=$(od -An -tu4 -j36 -N4 "$img" | tr -d ' ')
    data=$((reserved + fats * fat_size + 64))
    head -c $((data * 512)) "$img" >"$out/$name"
}

# make_dirty NAME FROM: FROM's seed with FAT[1]'s clean bit (bit 27, 0x08
# in its last byte) cleared in every FAT, so that every mount of it runs
# the check at mount (kernel/fs/fat32_check.c).
make_dirty() {
    local seed="$out/$1" reserved fats fat_size off byte
    cp "$out/$2" "$seed"
    reserved=$(od -An -tu2 -j14 -N2 "$seed" | tr -d ' ')
    fats=$(od -An -tu1 -j16 -N1 "$seed" | tr -d ' ')
    fat_size=$(od -An -tu4 -j36 -N4 "$seed" | tr -d ' ')
    for ((k = 0; k < fats; k++)); do
        off=$(((reserved + k * fat_size) * 512 + 7))
        byte=$(od -An -tu1 -j"$off" -N1 "$seed" | tr -d ' ')
        printf "\\x$(printf %02x $((byte & 0xF7)))" |
            dd of="$seed" bs=1 seek="$off" conv=notrunc status=none
    done
}

make_seed one-fat-512 34000 -s 1 -f 1
make_seed two-fats-512 40960 -s 1
make_seed one-fat-1k 66000 -s 2 -f 1
make_dirty two-fats-512-dirty two-fats-512
rm -rf "$tmp"
