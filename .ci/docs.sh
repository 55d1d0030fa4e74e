#!/usr/bin/env bash
# The documentation gate, after .ci/test.sh has built and tested build-test:
#  - the API reference builds from the headers with doxygen warnings as errors
#    (an undocumented public declaration fails here);
#  - the tests that compile and run every C block of README.md and docs/*.md
#    (doc-c-blocks, gcc and clang) and every README command (readme-commands)
#    were part of that run, not silently left out for want of a tool.
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${CXM_BUILDDIR:-build-test}

missing=()
for tool in doxygen gcc clang sqlite3 python3; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "docs: missing ${missing[*]}; install them with: bash .ci/deps.sh --ci" >&2
    exit 1
fi
if [ ! -f "$builddir/build.ninja" ]; then
    echo "docs: no build in $builddir; run bash .ci/test.sh first (CXM_BUILDDIR=$builddir)" >&2
    exit 1
fi

log="$builddir/docs.log"
if ! meson compile -C "$builddir" docs >"$log" 2>&1; then
    echo "docs: the API reference does not build (an undocumented declaration?):" >&2
    grep -E 'error|warning|not documented|failed' "$log" >&2 || tail -30 "$log" >&2
    exit 1
fi
echo "docs: API reference built warning-free: $builddir/docs/html/index.html"

tests=$(meson test -C "$builddir" --list 2>/dev/null)
for t in doc-c-blocks readme-commands; do
    if ! grep -q " / $t\$" <<<"$tests"; then
        echo "docs: test $t is not in $builddir (needs gcc, doxygen and sqlite3 when meson is set up)" >&2
        exit 1
    fi
done
echo "docs: doc-c-blocks and readme-commands were part of the test run"
