# Ember only (Linux's answers need root and a real mount table): busybox's
# mount, df and umount on tmpfs, and a tmpfs of 1 MiB filled past its size.
# tests/system/test_tmpfs.py judges the lines. $1: the result file.
exec > "$1" 2>&1
grep -c . /proc/mounts
grep ' /tmp ' /proc/mounts | cut -d' ' -f1-3
cmp /proc/mounts /proc/self/mounts && echo "self mounts: same"
mkdir /tmp/small
mount -t tmpfs -o size=1m none /tmp/small
echo "mount: $?"
grep ' /tmp/small ' /proc/mounts
df -k /tmp/small | tail -1 | awk '{print "df:", $2, $3, $6}'
dd if=/dev/zero of=/tmp/small/fill bs=4096 count=400 2>/dev/null
echo "dd past the size: $?"
ls -l /tmp/small/fill | awk '{print "size:", $5}'
echo more >> /tmp/small/fill
echo "append when full: $?"
df -k /tmp/small | tail -1 | awk '{print "df full:", $2, $3, $4}'
rm /tmp/small/fill
df -k /tmp/small | tail -1 | awk '{print "df empty:", $3}'
exec 3> /tmp/small/held
umount /tmp/small
echo "umount busy: $?"
exec 3>&-
umount /tmp/small
echo "umount: $?"
grep -c ' /tmp/small ' /proc/mounts
mount -t nosuchfs none /tmp/small
echo "unknown type: $?"
df /tmp | tail -1 | awk '{print "df tmp:", $1, $6}'
