#!/usr/bin/env bash
# doom_timedemos_play_to_the_end: the Linux build of the DOOM port replays
# all 8 Freedoom demos with -timedemo and prints each one's end state.
#
# For each IWAD (freedoom1, freedoom2) and demo (demo1..demo4) it runs
# build/doom/doom-host in a fresh scratch folder: freshly generated default
# configs (-config and -extraconfig name files that do not exist yet, so the
# engine starts from its built-in defaults: screen size 9, detail high,
# messages on), EMBER_DOOM_DIR pointing into the scratch folder, never a
# developer's own settings. No -gameversion is given: freedoom1's DEMO4
# needs the engine's default, Ultimate Doom. A demo passes when the engine
# ends it with its "timed N gametics in N realtics" line (through I_Error,
# exit status 255) and the port's "doom-end:" line follows. The end-state
# lines are printed, and written to OUT_FILE if one is given, for the
# comparison with the same demos replayed on Ember; they are not compared
# with a stored copy here. The wall time of each timedemo is printed too.
# A last check: the host binary contains no `int 0x80`, which on Linux is
# the i386 system call door (call 10 there is unlink, 11 execve).
#
# Usage: tests/host/doom_timedemo.sh [DOOM_HOST_BIN [WAD_DIR [OUT_FILE]]]
# See: docs/doom.md
set -uo pipefail
cd "$(dirname "$0")/../.."

BIN=${1:-build/doom/doom-host}
WADS=${2:-cache/doom/wads}
OUT=${3:-}
TIMEOUT_S=300
passed=0
failed=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1${2:+: $2}"; failed=$((failed + 1)); }

if [ ! -x "$BIN" ] || [ ! -d "$WADS" ]; then
    echo "doom_timedemo: no $BIN or no $WADS (run: make doom-host)"
    fail doom_timedemo/setup
    echo "$passed passed, $failed failed"
    exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
[ -n "$OUT" ] && : >"$OUT"

for iwad in freedoom1 freedoom2; do
    for demo in demo1 demo2 demo3 demo4; do
        name=doom_timedemo/$iwad/$demo
        run=$scratch/$iwad-$demo
        mkdir -p "$run"
        start=$(date +%s%N)
        EMBER_DOOM_DIR=$run/data timeout "$TIMEOUT_S" "$BIN" \
            -iwad "$WADS/$iwad.wad" -config "$run/default.cfg" \
            -extraconfig "$run/extra.cfg" -timedemo "$demo" -nogui \
            >"$run/stdout" 2>"$run/stderr"
        status=$?
        end=$(date +%s%N)
        ms=$(((end - start) / 1000000))
        timed=$(grep -m1 -E '^timed [0-9]+ gametics in [0-9]+ realtics' \
            "$run/stderr")
        state=$(grep -m1 '^doom-end: ' "$run/stderr")
        echo "$iwad $demo: $timed; wall ${ms} ms"
        echo "$iwad $demo: ${state:-(no end state)}"
        [ -n "$OUT" ] && echo "$iwad $demo ${state:-(no end state)}" >>"$OUT"
        if [ "$status" -eq 255 ] && [ -n "$timed" ] && [ -n "$state" ]; then
            pass "$name"
        else
            tail -n 5 "$run/stderr"
            fail "$name" "exit status $status"
        fi
    done
done

if objdump -d "$BIN" | grep -qE 'int +\$0x80'; then
    fail doom_host_has_no_int80 "found int 0x80 in $BIN"
else
    pass doom_host_has_no_int80
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
