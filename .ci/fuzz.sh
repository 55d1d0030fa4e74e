#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer harnesses (clang, ASan + UBSan, fatal),
# seeds them from the family table and tests/vectors/ and fuzzes each for a
# bounded time. The batch harnesses (fuzz_batch, fuzz_sequence: every
# add_many) run once per byte-counting path the CPU has (CXM_SIMD, see
# lib/bytecount.c), so the portable path is fuzzed on a vector machine too.
#   bash .ci/fuzz.sh            20 s per harness and path (what CI runs)
#   bash .ci/fuzz.sh 1800       a longer run: 30 min per harness and path
# Any crash, sanitizer report, leak, timeout or broken invariant fails; the
# input is saved under build-fuzz/artifacts/ (rerun: build-fuzz/tests/fuzz/fuzz_X FILE).
# tests/fuzz/corpus/<harness>/ holds the regression inputs every run replays.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need ninja ninja-build
need --ci clang clang "the harnesses are built with clang and libFuzzer"
need --ci clang++ clang
# libFuzzer's driver is a separate Debian package from clang itself.
fuzzer_rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)
if [ "$(uname -m)" = x86_64 ] && [ ! -f "$fuzzer_rt" ]; then
    echo "$ci_name: needs libFuzzer ($fuzzer_rt not found)." >&2
    echo "  It comes from the Debian package libclang-rt-14-dev. Install everything this gate needs with:" >&2
    echo "    bash .ci/deps.sh --ci" >&2
    exit 1
fi
secs=${1:-20}
builddir=${CXM_FUZZ_BUILDDIR:-build-fuzz}
rm -rf "$builddir"
CC=clang CXX=clang++ quiet "$builddir/setup.log" meson setup "$builddir" -Dfuzzers=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dtests=false -Dexamples=false \
    -Dbenchmarks=false -Dwerror=true
quiet "$builddir/compile.log" meson compile -C "$builddir"
export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1 ${UBSAN_OPTIONS:-}"
"$builddir/tests/fuzz/fuzz_seeds" "$builddir/seeds" tests/vectors
mkdir -p "$builddir/artifacts"

# fuzz HARNESS [PATH]: one bounded run, with CXM_SIMD=PATH when given.
fuzz() {
    local h=$1 path=${2:-} tag=$1
    [ -z "$path" ] || tag="$h-$path"
    local work="$builddir/corpus/$h" log="$builddir/fuzz_$tag.log"
    mkdir -p "$work" "tests/fuzz/corpus/$h"
    local seeds=()
    [ -d "$builddir/seeds/$h" ] && seeds+=("$builddir/seeds/$h")
    if ! CXM_SIMD=$path "$builddir/tests/fuzz/fuzz_$h" -max_total_time="$secs" -error_exitcode=77 \
        -timeout=10 -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$builddir/artifacts/$tag-" \
        "$work" "tests/fuzz/corpus/$h" "${seeds[@]}" >"$log" 2>&1; then
        tail -80 "$log"
        echo "$ci_name: fuzz_$h${path:+ (CXM_SIMD=$path)} FAILED; the input is in $builddir/artifacts/" >&2
        exit 1
    fi
    local runs cov
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz_$h${path:+ (CXM_SIMD=$path)}: ${runs} runs in ${secs}s, ${cov}, no crash"
}

for h in decode clock; do
    fuzz "$h"
done
for path in $(bash .ci/simd_paths.sh); do
    for h in batch sequence; do
        fuzz "$h" "$path"
    done
done
fuzz structure
fuzz backlog
# Every histogram path is called by the harness itself, on batches of 16 to 80 KiB.
fuzz bytehist
