#!/usr/bin/env bash
# Installs what building and testing cxm needs on Debian 12, if missing.
#   bash .ci/deps.sh         meson, ninja, pkg-config, cmocka, a C and C++ compiler,
#                            SQLite (for the aggregate example)
#   bash .ci/deps.sh --ci    and the CI gates: clang + libFuzzer, valgrind,
#                            libabigail, numpy for the comparison benchmark,
#                            dpkg-dev (dpkg-buildflags, for the hardened build)
set -euo pipefail

pkgs=(meson ninja-build pkg-config libcmocka-dev gcc g++ python3 binutils libsqlite3-dev sqlite3)
if [ "${1:-}" = "--ci" ]; then
    pkgs+=(clang llvm libclang-rt-14-dev clang-format valgrind abigail-tools python3-numpy dpkg-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
