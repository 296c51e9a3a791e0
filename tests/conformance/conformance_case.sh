#!/bin/sh
# One conformance case: run `promtool MODE rules FILE` and/or `opsdeck-sim rules MODE FILE`
# in FILE's directory (both print the path they were given, so it must be the same),
# and fail if an exit code differs from EXPECTED (when given), if the two exit codes
# disagree, or if their stdout / stderr differ byte for byte.
#
#   conformance_case.sh MODE EXPECTED FILE PROMTOOL OPSDECK_SIM
#     MODE      test | check
#     EXPECTED  0, 1, or "any" (only compare the tools with each other)
#     PROMTOOL / OPSDECK_SIM  path to the tool, or "" when it is not available
set -u
mode=$1 expected=$2 file=$3 promtool=$4 opsdeck=$5
cd "$(dirname "$file")" || exit 2
base=$(basename "$file")
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
status=0

run() { # name command...
    name=$1
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err"
    rc=$?
    echo "$rc" >"$work/$name.rc"
    if [ "$expected" != any ] && [ "$rc" != "$expected" ]; then
        echo "FAIL: $name exited $rc, expected $expected for $base"
        cat "$work/$name.out" "$work/$name.err"
        status=1
    fi
}

[ -n "$promtool" ] && run promtool "$promtool" "$mode" rules "$base"
[ -n "$opsdeck" ] && run opsdeck "$opsdeck" rules "$mode" "$base"

if [ -n "$promtool" ] && [ -n "$opsdeck" ]; then
    if [ "$(cat "$work/promtool.rc")" != "$(cat "$work/opsdeck.rc")" ]; then
        echo "FAIL: exit codes disagree: promtool $(cat "$work/promtool.rc"), opsdeck-sim $(cat "$work/opsdeck.rc")"
        status=1
    fi
    for stream in out err; do
        if ! diff -u "$work/promtool.$stream" "$work/opsdeck.$stream" >"$work/diff"; then
            echo "FAIL: std$stream differs (--- promtool, +++ opsdeck-sim):"
            cat "$work/diff"
            status=1
        fi
    done
fi
[ $status = 0 ] && echo "ok: $base"
exit $status
