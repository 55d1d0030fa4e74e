#!/usr/bin/env bash
# ABI gate: the exported interface of libcxm.so against the committed
# baseline abi/libcxm.abi (libabigail), and the exported symbol list against
# the headers and lib/cxm.map (tests/check_symbols.py).
#   bash .ci/abi.sh            check: additions pass, any other change fails
#   bash .ci/abi.sh --update   rewrite abi/libcxm.abi from this tree
# The library is built with gcc at -O0 -g in build-abi/, so the baseline
# depends on the sources only (no paths, no line numbers, hashed type ids).
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${CXM_ABI_BUILDDIR:-build-abi}
baseline=abi/libcxm.abi
rm -rf "$builddir"
CC=gcc CXX=g++ meson setup "$builddir" --buildtype=debug -Dtests=false -Dexamples=false \
    -Dbenchmarks=false -Dfuzzers=false >/dev/null
meson compile -C "$builddir" >"$builddir/compile.log" 2>&1 || { cat "$builddir/compile.log"; exit 1; }
lib="$builddir/libcxm.so"

python3 tests/check_symbols.py . "$lib" "$(command -v nm)"

abidw --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash \
    --drop-private-types --headers-dir include --out-file "$builddir/libcxm.abi" "$lib"

if [ "${1:-}" = "--update" ]; then
    mkdir -p abi
    cp "$builddir/libcxm.abi" "$baseline"
    echo "wrote $baseline ($(grep -c '<elf-symbol ' "$baseline") symbols); commit it with the change"
    exit 0
fi
[ -f "$baseline" ] || { echo "no $baseline: run bash .ci/abi.sh --update"; exit 1; }

# abidiff exit status is a bit mask: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible change. With --no-added-syms, new functions and variables
# are left out, and enumerators appended to an enum count as harmless; so
# any non-zero status here is a change to something that already existed.
set +e
abidiff --no-added-syms "$baseline" "$builddir/libcxm.abi" >"$builddir/abidiff.txt" 2>&1
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    cat "$builddir/abidiff.txt"
    echo
    echo "ABI check FAILED (abidiff status $rc: $( ((rc & 1)) && echo -n 'error ')$( ((rc & 4)) && echo -n 'change ')$( ((rc & 8)) && echo -n 'incompatible'))."
    echo "Existing exported functions or the types they use changed. If this is an"
    echo "intentional, versioned change, see docs/abi.md: bump the soname, then"
    echo "run bash .ci/abi.sh --update and commit abi/libcxm.abi with it."
    exit 1
fi
set +e
abidiff "$baseline" "$builddir/libcxm.abi" >"$builddir/abidiff-all.txt" 2>&1
set -e
added=$(sed -n 's/.*Removed, [0-9]* Changed.*, \([0-9]*\) Added function.*/\1/p' "$builddir/abidiff-all.txt" | head -1)
echo "ABI compatible with $baseline (added functions not yet in the baseline: ${added:-0})"
