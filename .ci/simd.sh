#!/usr/bin/env bash
# The unit tests once per byte-counting path (portable, AVX2, AVX-512BW where
# the CPU has it), forced through CXM_SIMD (lib/bytecount.c). Without this
# only the machine's fastest path runs under the public-API tests, and a bug
# in the portable path would pass unnoticed on an AVX-512 machine.
# The batch fuzzers run once per path in .ci/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need ninja ninja-build
builddir=${CXM_SIMD_BUILDDIR:-build-simd}
rm -rf "$builddir"
quiet "$builddir/setup.log" meson setup "$builddir" -Dwerror=true -Dbenchmarks=false -Dexamples=false
quiet "$builddir/compile.log" meson compile -C "$builddir"
for path in $(bash .ci/simd_paths.sh); do
    echo "unit tests, byte-counting path forced to $path (CXM_SIMD=$path)"
    CXM_SIMD=$path quiet "$builddir/test-$path.log" \
        meson test -C "$builddir" --suite unit --no-rebuild --print-errorlogs \
        --logbase "testlog-$path"
    grep -E '^(Ok|Fail):' "$builddir/test-$path.log"
done
