# Debian's busybox on a filesystem with Unix metadata: symbolic and hard
# links, modes, case, renames, times, and a program copied there and run.
# Run by tests/system/test_tmpfs.py in Ember's /tmp and, on Linux, in a
# scratch directory; only what every Unix filesystem shows is printed, so
# the two outputs must be the same. $1: the result file, $2: the folder to
# work in, $3: the busybox binary.
exec > "$1" 2>&1
cd "$2" || exit 1
mkdir work && cd work || exit 1
echo hello > f
ln -s f s
ln f h
ls -l s | awk '{print $1, $2, $9, $10, $11}'
readlink s
cat s
stat -c '%h %s %a %F %N' f h s
chmod 640 f
stat -c '%a %A' f h
chmod u+x,g-r f
stat -c '%a %A' f
ln -s nowhere dangling
[ -e dangling ] || echo "dangling: no target"
[ -L dangling ] && echo "dangling: is a link"
mkdir sub
ln -s ../f sub/up
cat sub/up
ln -s loop1 loop2
ln -s loop2 loop1
cat loop1
echo A > Case
echo b > case
cat Case case
mv h sub/h2
ls sub
rm f
cat sub/h2 s
stat -c '%h' sub/h2
touch -d '2020-01-02 03:04:05' t
stat -c '%Y %X' t
ln sub/h2 sub/h3 && stat -c '%h %i' sub/h2 sub/h3 | awk '{print $1}'
[ "$(stat -c %i sub/h2)" = "$(stat -c %i sub/h3)" ] && echo "one inode"
ln -sf h2 sub/up
readlink sub/up
mkdir -p deep/er/est
ln -s deep/er/est shortcut
echo inside > shortcut/file
cat deep/er/est/file
(cd shortcut && pwd -P | sed 's|.*/work/||')
cp "$3" ./busybox
chmod 755 busybox
./busybox echo "ran from here"
ln -s busybox basename
./basename /by/its/link/name
ls -1
rm -r deep sub
ls -1
cd .. && rm -r work && echo "removed"
