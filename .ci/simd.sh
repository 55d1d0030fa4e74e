#!/usr/bin/env bash
# The unit tests once per byte-counting path (portable, AVX2, AVX-512BW where
# the CPU has it), forced through CXM_SIMD (lib/bytecount.c). Without this
# only the machine's fastest path runs under the public-API tests, and a bug
# in the portable path would pass unnoticed on an AVX-512 machine.
# The batch fuzzers run once per path in .ci/fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${CXM_SIMD_BUILDDIR:-build-simd}
rm -rf "$builddir"
meson setup "$builddir" -Dwerror=true -Dbenchmarks=false -Dexamples=false >"$builddir.log" 2>&1 ||
    { tail -30 "$builddir.log"; echo "simd.sh: meson setup failed (bash .ci/deps.sh)" >&2; exit 1; }
rm -f "$builddir.log"
meson compile -C "$builddir" >"$builddir/compile.log" 2>&1 || { cat "$builddir/compile.log"; exit 1; }
for path in $(bash .ci/simd_paths.sh); do
    echo "unit tests, byte-counting path forced to $path (CXM_SIMD=$path)"
    if ! CXM_SIMD=$path meson test -C "$builddir" --suite unit --no-rebuild --print-errorlogs \
        >"$builddir/test-$path.log" 2>&1; then
        cat "$builddir/test-$path.log"
        echo "simd.sh: the unit tests fail with CXM_SIMD=$path" >&2
        exit 1
    fi
    grep -E '^(Ok|Fail):' "$builddir/test-$path.log"
done
