#!/usr/bin/env bash
# Quick start, second command: build cxm with warnings as errors and run the
# whole test suite (unit, property, ABI and example tests).
#   CXM_BUILDDIR=dir CC=clang bash .ci/test.sh [meson options]
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
bash .ci/deps.sh
need meson meson
need ninja ninja-build
cc_bin=${CC:-cc}
need "${cc_bin%% *}" gcc "the C compiler, \$CC"
builddir=${CXM_BUILDDIR:-build-test}
rm -rf "$builddir"
quiet "$builddir/setup.log" meson setup "$builddir" -Dwerror=true "$@"
quiet "$builddir/compile.log" meson compile -C "$builddir"
meson test -C "$builddir" --print-errorlogs
