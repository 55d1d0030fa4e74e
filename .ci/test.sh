#!/usr/bin/env bash
# Quick start, second command: build cxm with warnings as errors and run the
# whole test suite (unit, property, ABI and example tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
builddir=${CXM_BUILDDIR:-build-test}
rm -rf "$builddir"
meson setup "$builddir" -Dwerror=true "$@" >/dev/null || { cat "$builddir/meson-logs/meson-log.txt" | tail -30; exit 1; }
log="$builddir/compile.log"
meson compile -C "$builddir" >"$log" 2>&1 || { cat "$log"; exit 1; }
meson test -C "$builddir" --print-errorlogs
