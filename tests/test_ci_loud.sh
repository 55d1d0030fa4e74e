#!/usr/bin/env bash
# Every .ci gate whose tool is missing says which tool, which Debian package
# and how to install it, and exits 1 -- never a silent exit, never a
# traceback. Each gate runs with a PATH holding the basics but not its tool.
#   bash tests/test_ci_loud.sh SOURCE_ROOT
set -uo pipefail
root=$1
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
basics=(bash sh dpkg-query apt-get id dirname basename mkdir rm tail cat grep sed uname env python3 git meson ninja gcc cc nm)

failures=0
# check SCRIPT TOOL...: the script, with TOOL... hidden, names the first one.
check() {
    local script=$1 bin="$fake/bin" out rc
    shift
    rm -rf "$bin"
    mkdir -p "$bin"
    for t in "${basics[@]}"; do
        case " $* " in *" $t "*) continue ;; esac
        p=$(command -v "$t") && ln -s "$p" "$bin/$t"
    done
    out=$(cd "$fake" && PATH="$bin" CXM_BUILDDIR="$fake/b" CXM_ABI_BUILDDIR="$fake/b" \
        CXM_FUZZ_BUILDDIR="$fake/b" bash "$root/.ci/$script" 2>&1)
    rc=$?
    if [ "$rc" -ne 1 ] || ! grep -q "needs '$1'" <<<"$out" || ! grep -q "bash .ci/deps.sh" <<<"$out"; then
        echo "FAIL: .ci/$script without $1 (exit $rc) said:"
        echo "$out" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok: .ci/$script without $1: $(head -1 <<<"$out")"
    fi
}

check tsan.sh clang
check fuzz.sh clang
check valgrind.sh valgrind
check abi.sh abidw
check format.sh clang-format
check pkgconfig.sh pkg-config
check test.sh meson
check python.sh meson
[ "$failures" -eq 0 ] || exit 1
echo "every gate names what it misses"
