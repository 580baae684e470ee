#!/usr/bin/env bash
# Makes Ember's disk image: an MBR with one FAT32 partition, filled by mtools.
#
# Usage: mkdisk.sh OUT SIZE_MIB ROOT_DIR  (ROOT_DIR's tree becomes the disk's)
# The image is sparse. The partition starts at 1 MiB (sector 2048), as
# partitioning tools align it. mkfs.fat is told both the offset and, with
# -h, the hidden-sector count, or the boot sector's hidden-sectors field
# would stay 0. Clusters are 4 KiB (-s 8): a 512 MiB volume then has about
# 130,000 clusters, well above FAT32's minimum of 65,525, and a 27 MB WAD is
# a chain of 6,600 clusters rather than 53,000. No mounting, no root needed.
# mkfs.fat and sfdisk live in /usr/sbin, outside a normal user's PATH.
#
# See: docs/storage.md
set -euo pipefail

out=$1
size_mib=$2
root=$3

start_sector=2048
total_sectors=$((size_mib * 2048))
part_sectors=$((total_sectors - start_sector))

tmp="$out.tmp"
rm -f "$tmp"
truncate -s "${size_mib}M" "$tmp"
printf 'label: dos\nstart=%d, size=%d, type=c\n' "$start_sector" "$part_sectors" |
    /usr/sbin/sfdisk --quiet "$tmp"
/usr/sbin/mkfs.fat -F 32 -S 512 -s 8 -n EMBER -i 454d4252 \
    --offset "$start_sector" -h "$start_sector" "$tmp" $((part_sectors / 2)) >/dev/null
export MTOOLS_SKIP_CHECK=1
mcopy -s -i "$tmp@@$((start_sector * 512))" -o "$root"/* ::/
mv "$tmp" "$out"
