#!/usr/bin/env bash
# Prints the byte-counting paths this machine runs, one a line, as values
# of CXM_SIMD (lib/bytecount.c): portable always, avx2 and avx512bw when
# the CPU reports them. Used by .ci/simd.sh and .ci/fuzz.sh.
set -euo pipefail
echo portable
if [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
    flags=$(grep -m1 '^flags' /proc/cpuinfo)
    case " $flags " in *" avx2 "*) echo avx2 ;; esac
    case " $flags " in *" avx512bw "*) echo avx512bw ;; esac
fi
