#!/usr/bin/env bash
# valgrind memcheck: the whole suite of an existing build (build-test, made
# by .ci/test.sh) under meson's 'valgrind' test setup; any error or leak fails.
#   CXM_BUILDDIR=dir bash .ci/valgrind.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need --ci valgrind valgrind
builddir=${CXM_BUILDDIR:-build-test}
if [ ! -f "$builddir/build.ninja" ]; then
    echo "$ci_name: no build in $builddir/: run bash .ci/test.sh first (it makes build-test)" >&2
    exit 1
fi
meson test -C "$builddir" --setup valgrind --print-errorlogs
