#!/usr/bin/env bash
# Installs what building and testing cxm needs on Debian 12, if missing.
#   bash .ci/deps.sh         meson, ninja, pkg-config, cmocka, a C and C++ compiler,
#                            SQLite (for the aggregate example), libcsv and jansson
#                            (for cxm-report)
#   bash .ci/deps.sh --ci    and the CI gates: clang + libFuzzer, valgrind,
#                            libabigail, numpy for the comparison benchmark, doxygen for
#                            the API reference, what installing the Python package
#                            with pip in a venv needs, chromium (renders the
#                            cxm-report HTML page in a test), PostgreSQL 15 with its
#                            server headers (extensions/postgresql), and dpkg-dev
#                            (dpkg-buildflags, for the hardened build)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

pkgs=(meson ninja-build pkg-config libcmocka-dev gcc g++ python3 binutils libsqlite3-dev sqlite3
      libcsv-dev libjansson-dev)
if [ "${1:-}" = "--ci" ]; then
    pkgs+=(clang llvm libclang-rt-14-dev clang-format valgrind abigail-tools python3-numpy doxygen
          python3-venv python3-pip python3-setuptools python3-wheel chromium
          postgresql-15 postgresql-server-dev-15 dpkg-dev)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "$ci_name: this installs Debian packages with apt-get (Debian 12); on another system" >&2
    echo "  install the equivalents of: ${pkgs[*]}" >&2
    exit 1
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "$ci_name: missing packages: ${missing[*]}" >&2
            echo "  installing them needs root: run this script as root, or install sudo" >&2
            exit 1
        }
        sudo=(sudo)
    fi
    echo "installing: ${missing[*]}"
    # apt's own messages are kept: a failure shows why (no network, unknown package, lock).
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    quiet "$log" "${sudo[@]}" apt-get update -qq
    quiet "$log" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        -o DPkg::Lock::Timeout=900 "${missing[@]}"
fi
