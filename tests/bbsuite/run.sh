# Runs busybox's own test suite (testsuite/runtest) with busybox ash as the
# shell; the same script on Linux and in Ember (tests/system/test_bbsuite.py).
#
# Usage: busybox sh run.sh BINDIR TIMEOUT OUT [APPLET...]
#   BINDIR holds busybox, its .config and testsuite/; TIMEOUT is the most
#   seconds one applet's tests may take (then "TIMEOUT: applet" and the
#   next applet), 0 for no limit. OUT: a file for the lines below, or - for stdout (Ember
#   writes a file on its disk: the harness reads it with mtools, and a
#   program dying on the console cannot cut it short). With no APPLET,
#   every applet the binary has.
# Prints runtest's PASS/FAIL/SKIPPED/UNTESTED lines, "TIMEOUT: applet"
# and "ENDED: applet SECONDS-SINCE-1970" for each applet with a .tests
# file, the seconds the whole run took, and "bbsuite: done" at the end.
#
# What differs from a plain `./runtest` in busybox's tree, and why:
# - runtest links every applet name to busybox with `ln -s`; where the
#   folder cannot hold symlinks (FAT32), each name becomes a two-line script
#   that runs busybox with the applet's name instead;
# - each applet's .tests file runs as `sh limit.sh LIMIT FILE` (below), so
#   one hung test costs its applet and not the run, and the file's
#   `#!/bin/sh` does not pick Ember's own /bin/sh (busybox ash runs it on
#   both sides);
# - the run is from /tmp where /tmp holds symlinks (below);
# - the applet links come first in PATH for the whole run, old-style tests
#   too: on Linux /bin holds busybox and nothing else, in Ember /bin is
#   Ember's own (no pwd or gzip, a date of its own), and `which pwd` or
#   tar's exec of gzip must find busybox's on both sides.
bindir=$1
limit=$2
out=$3
shift 3
[ "$out" = - ] || exec >"$out" 2>&1

# Runs from /tmp where /tmp holds symlinks (a tmpfs: Linux's, and Ember's
# once it has one), else where the files are (FAT32 on Ember).
if "$bindir/busybox" ln -s x /tmp/.bbsuite-probe 2>/dev/null &&
    [ -L /tmp/.bbsuite-probe ]; then
    "$bindir/busybox" rm -f /tmp/.bbsuite-probe
    mkdir -p /tmp/bbsuite || exit 1
    cp -R "$bindir/busybox" "$bindir/.config" "$bindir/testsuite" /tmp/bbsuite/ || exit 1
    bindir=/tmp/bbsuite
fi
bb=$bindir/busybox
cd "$bindir/testsuite" || exit 1
export bindir
echo "bbsuite: running in $bindir"

if $bb ln -s "$bb" .probe-link 2>/dev/null && [ -L .probe-link ]; then
    links=ln
else
    links=scripts
fi
$bb rm -f .probe-link
echo "bbsuite: applet links: $links"

# limit.sh LIMIT FILE: `timeout LIMIT sh FILE` in a session of its own,
# and when the time is up, SIGTERM to the whole process group. timeout
# alone ends only the sh, and what the sh started runs on: bc.tests left
# its `bc | bc | md5sum` computing for the rest of the run, which made
# every later applet on Linux 3 to 7 times slower (#17).
cat >"$bindir/limit.sh" <<'EOF'
if [ "$BBSUITE_LEADER" != 1 ]; then
    BBSUITE_LEADER=1 exec setsid sh "$0" "$@"
fi
timeout "$1" sh "$2"
rc=$?
if [ $rc -ge 128 ]; then
    trap '' TERM
    kill -TERM -$$ 2>/dev/null
fi
exit $rc
EOF

# runtest with the per-applet limit; "ln -s" replaced where it must be.
wrap="sh $bindir/limit.sh $limit"
[ "$limit" != 0 ] || wrap=sh
$bb sed -e 's|^\t\t\t"\$tsdir/\$applet.tests"$|\t\t\t'"$wrap"' "$tsdir/$applet.tests"|' \
    -e 's|^\t\trc=\$?$|\t\trc=$?; echo "ENDED: $applet $(date +%s)"; [ $rc -lt 128 ] \|\| echo "TIMEOUT: $applet (status $rc)"|' \
    runtest >runtest.bbsuite
if [ $links = scripts ]; then
    $bb sed -i -e 's|^\tln -s "\$bindir/busybox" "\$LINKSDIR/\$i" 2>/dev/null$|\tprintf "#!$bindir/busybox sh\\nexec $bindir/busybox $i \\"\\$@\\"\\n" >"$LINKSDIR/$i"|' \
        runtest.bbsuite
fi
grep -qF "$wrap \"\$tsdir" runtest.bbsuite || { echo "bbsuite: runtest not patched"; exit 1; }
if [ $links = scripts ]; then
    grep -qF 'exec $bindir/busybox $i' runtest.bbsuite ||
        { echo "bbsuite: runtest's links not patched"; exit 1; }
fi

PATH="$bindir/runtest-tempdir-links:$PATH"
export PATH
start=$(date +%s)
sh ./runtest.bbsuite "$@" 2>&1 | grep -E '^(PASS|FAIL|SKIPPED|UNTESTED|TIMEOUT|ENDED):'
echo "bbsuite: total $(($(date +%s) - start)) s"
echo "bbsuite: done"
