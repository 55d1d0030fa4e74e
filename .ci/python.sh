#!/usr/bin/env bash
# The Python package as a user gets it: libcxm installed into a prefix, the
# package installed with pip (offline, Debian's setuptools) into a venv, its
# tests run from outside the source tree with the library found through
# pkg-config, then through the system loader, then the error when neither
# finds it; and the package's benchmark in quick mode.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need ninja ninja-build
root=$PWD
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
for m in venv ensurepip setuptools wheel; do
    "$py" -c "import $m" 2>/dev/null || {
        echo "python.sh: $py lacks the module '$m'." >&2
        echo "  Install Debian's python3-venv python3-pip python3-setuptools python3-wheel" >&2
        echo "  (bash .ci/deps.sh --ci does)." >&2
        exit 1
    }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$root/build-python" "$root/bindings/python/build" "$root"/bindings/python/*.egg-info' EXIT
rm -rf build-python build-python-unittest # (the latter keeps the unittest log for the summary)
quiet "$tmp/setup.log" meson setup build-python --prefix="$tmp/prefix" --libdir=lib -Dtests=true \
    -Dexamples=false -Dbenchmarks=false
quiet "$tmp/compile.log" meson compile -C build-python
quiet "$tmp/install.log" meson install -C build-python

"$py" -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --no-build-isolation --no-index ./bindings/python
cp -r bindings/python/tests "$tmp/tests"
cd "$tmp"

run_tests() {
    CXM_VECTORS="$root/tests/vectors" CXM_TEST_VECTORS="$root/build-python/tests/test_vectors" \
        CXM_SOURCE_ROOT="$root" "$tmp/venv/bin/python" "$root/.ci/record.py" unittest \
        "$root/build-python-unittest/meson-logs/testlog-unittest.json" -- \
        discover -s "$tmp/tests" -t "$tmp/tests" "$@"
}

echo "--- installed package, library through pkg-config"
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" "$tmp/venv/bin/python" -c \
    'import cxm; assert cxm.library_path.startswith("'"$tmp"'/prefix"), cxm.library_path; print("cxm", cxm.__version__, "from", cxm.library_path)'
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" run_tests

echo "--- library through the system loader"
LD_LIBRARY_PATH="$tmp/prefix/lib" PKG_CONFIG_PATH=/nonexistent "$tmp/venv/bin/python" -c \
    'import cxm; assert cxm.library_path == "libcxm.so.0", cxm.library_path; print("loaded", cxm.library_path)'

echo "--- no library anywhere: a clear error"
if out=$(PKG_CONFIG_PATH=/nonexistent "$tmp/venv/bin/python" -c 'import cxm' 2>&1); then
    echo "python.sh: import cxm succeeded with no library to find (is libcxm installed" >&2
    echo "  system-wide?): the not-found error was not checked" >&2
    exit 1
else
    echo "$out" | grep -q "tried:" || { echo "python.sh: unclear error: $out" >&2; exit 1; }
    echo "$out" | tail -4
fi

echo "--- benchmark, quick mode"
PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" "$tmp/venv/bin/python" \
    "$root/bindings/python/bench/bench_python.py" --quick
