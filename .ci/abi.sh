#!/usr/bin/env bash
# ABI gate: the exported interface of libcxm.so against the committed
# baseline abi/libcxm.abi (libabigail), and the exported symbol list against
# the headers and lib/cxm.map (tests/check_symbols.py).
#   bash .ci/abi.sh            check: fails on an incompatible change, and
#                              when the baseline is stale (this tree's ABI
#                              description differs from the committed file)
#   bash .ci/abi.sh --update   rewrite abi/libcxm.abi from this tree
# The baseline is a function of the sources alone, so the same tree always
# gives the same bytes: the library is built with gcc at -O0 -g in
# build-abi/ with no flags from the environment, and abidw writes no paths,
# no line numbers, hashed type ids, only exported functions (no internal
# helpers) and no parameter names (they are not part of the ABI).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need ninja ninja-build
need gcc gcc "the baseline is built with gcc"
need nm binutils "to list the exported symbols"
need python3 python3
need --ci abidw abigail-tools
need --ci abidiff abigail-tools
builddir=${CXM_ABI_BUILDDIR:-build-abi}
baseline=abi/libcxm.abi
rm -rf "$builddir"
unset CFLAGS CPPFLAGS LDFLAGS
CC=gcc CXX=g++ quiet "$builddir/setup.log" meson setup "$builddir" --buildtype=debug \
    -Dtests=false -Dexamples=false -Dbenchmarks=false -Dfuzzers=false
quiet "$builddir/compile.log" meson compile -C "$builddir"
lib="$builddir/libcxm.so"

python3 tests/check_symbols.py . "$lib" "$(command -v nm)"

quiet "$builddir/abidw.log" abidw --no-corpus-path --no-comp-dir-path --no-show-locs \
    --type-id-style hash --drop-private-types --drop-undefined-syms --no-parameter-names \
    --headers-dir include --out-file "$builddir/libcxm.abi" "$lib"

if [ "${1:-}" = "--update" ]; then
    mkdir -p abi
    cp "$builddir/libcxm.abi" "$baseline"
    echo "wrote $baseline ($(grep -c '<elf-symbol ' "$baseline") symbols); commit it with the change"
    exit 0
fi
if [ -n "${1:-}" ]; then
    echo "$ci_name: unknown argument '$1' (use no argument to check, --update to rewrite)" >&2
    exit 2
fi
if [ ! -f "$baseline" ]; then
    echo "$ci_name: no $baseline: run bash .ci/abi.sh --update and commit it" >&2
    exit 1
fi

# abidiff exit status is a bit mask: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible change. With --no-added-syms, new functions and variables
# are left out, and enumerators appended to an enum count as harmless; the
# suppression lets sized structs that are never embedded grow at their end
# (.ci/abi_growable.py says why). So any non-zero status here is a change to
# something that already existed.
python3 .ci/abi_growable.py include >"$builddir/growable.abignore"
rc=0
abidiff --no-added-syms --suppressions "$builddir/growable.abignore" "$baseline" \
    "$builddir/libcxm.abi" >"$builddir/abidiff.txt" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
    cat "$builddir/abidiff.txt"
    echo
    what=""
    ((rc & 1)) && what+="error "
    ((rc & 2)) && what+="usage-error "
    ((rc & 4)) && what+="change "
    ((rc & 8)) && what+="incompatible"
    echo "ABI check FAILED (abidiff status $rc: ${what% })."
    echo "Existing exported functions or the types they use changed. If this is an"
    echo "intentional, versioned change, see docs/abi.md: bump the soname, then"
    echo "run bash .ci/abi.sh --update and commit abi/libcxm.abi with it."
    exit 1
fi
rc=0
abidiff "$baseline" "$builddir/libcxm.abi" >"$builddir/abidiff-all.txt" 2>&1 || rc=$?
added=$(sed -n 's/.*Removed, [0-9]* Changed.*, \([0-9]*\) Added function.*/\1/p' \
    "$builddir/abidiff-all.txt" | head -1)

# Staleness: the committed baseline must be exactly what this tree
# produces, so that a commit's diff of abi/libcxm.abi is its ABI change.
if ! cmp -s "$baseline" "$builddir/libcxm.abi"; then
    diff -u "$baseline" "$builddir/libcxm.abi" | head -n 80 || true
    echo
    echo "ABI baseline STALE: $baseline differs from what this tree produces"
    echo "(compatible with it; functions added since: ${added:-0}). Regenerate it on purpose"
    echo "and commit it with the change that moved the ABI:"
    echo "  bash .ci/abi.sh --update && git add $baseline"
    exit 1
fi
echo "ABI unchanged: $baseline matches this tree ($(grep -c '<elf-symbol ' "$baseline") symbols)"
