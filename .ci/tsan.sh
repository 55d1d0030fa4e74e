#!/usr/bin/env bash
# ThreadSanitizer: clang build with -fsanitize=thread; the threads test (the
# point of this step) and, being cheap, the rest of the unit suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need ninja ninja-build
need --ci clang clang "ThreadSanitizer is built with clang"
need --ci clang++ clang
builddir=${CXM_BUILDDIR:-build-tsan}
rm -rf "$builddir"
CC=clang CXX=clang++ quiet "$builddir/setup.log" meson setup "$builddir" -Dwerror=true \
    -Db_sanitize=thread -Db_lundef=false -Dexamples=false -Dbenchmarks=false
quiet "$builddir/compile.log" meson compile -C "$builddir"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
meson test -C "$builddir" --no-rebuild --print-errorlogs --suite unit
