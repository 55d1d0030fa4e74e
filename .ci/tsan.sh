#!/usr/bin/env bash
# ThreadSanitizer: clang build with -fsanitize=thread; the threads test (the
# point of this step) and, being cheap, the rest of the unit suite.
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${CXM_BUILDDIR:-build-tsan}
rm -rf "$builddir"
CC=clang CXX=clang++ meson setup "$builddir" -Dwerror=true -Db_sanitize=thread -Db_lundef=false \
    -Dexamples=false -Dbenchmarks=false >/dev/null
meson compile -C "$builddir" >"$builddir/compile.log" 2>&1 || { cat "$builddir/compile.log"; exit 1; }
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
meson test -C "$builddir" --no-rebuild --print-errorlogs --suite unit
