#!/usr/bin/env bash
# Release build with Debian's hardening flags, under gcc and under clang:
# what a distribution package gets. It must compile warning-free (werror, and
# the log is checked for any "warning:" the flags let through) and pass the
# test suite, because optimisation and _FORTIFY_SOURCE see code paths (inlined
# early returns, object sizes) that the debug build does not.
#   bash .ci/hardened.sh            gcc and clang
#   bash .ci/hardened.sh gcc        one compiler
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dpkg-buildflags >/dev/null; then
    echo "hardened.sh: dpkg-buildflags not found; install it: apt-get install dpkg-dev" >&2
    exit 1
fi
compilers=("$@")
[ ${#compilers[@]} -gt 0 ] || compilers=(gcc clang)

# Debian's own flags (hardening=+all adds bindnow to the defaults:
# -O2 -fstack-protector-strong -Wformat -Werror=format-security
# -D_FORTIFY_SOURCE=2 -Wl,-z,relro).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cflags="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
cxxflags="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
ldflags=$(dpkg-buildflags --get LDFLAGS)

# Level 3 checks object sizes known only at run time; glibc enables it for
# gcc >= 12 and clang >= 9. Use it where the compiler and libc really do,
# which a probe that fails below level 3 tells.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
cat >"$probe/f.c" <<'C'
#include <stdio.h>
#if !defined(__USE_FORTIFY_LEVEL) || __USE_FORTIFY_LEVEL < 3
#error _FORTIFY_SOURCE=3 is not in effect
#endif
int main(void) { return 0; }
C

for cc in "${compilers[@]}"; do
    case $cc in
    gcc) cxx=g++ ;;
    clang) cxx=clang++ ;;
    *) echo "hardened.sh: unknown compiler $cc (gcc or clang)" >&2; exit 1 ;;
    esac
    command -v "$cc" >/dev/null || { echo "hardened.sh: $cc missing: bash .ci/deps.sh --ci" >&2; exit 1; }
    c=$cflags
    x=$cxxflags
    if "$cc" -O2 -D_FORTIFY_SOURCE=3 -c "$probe/f.c" -o "$probe/f.o" 2>/dev/null; then
        c="${c//-D_FORTIFY_SOURCE=2/-D_FORTIFY_SOURCE=3}"
        x="${x//-D_FORTIFY_SOURCE=2/-D_FORTIFY_SOURCE=3}"
    fi
    builddir=build-hardened-$cc
    rm -rf "$builddir"
    echo "hardened build ($cc): CFLAGS=$c LDFLAGS=$ldflags"
    CC=$cc CXX=$cxx CFLAGS="$c" CXXFLAGS="$x" LDFLAGS="$ldflags" \
        meson setup "$builddir" -Dbuildtype=release -Dwerror=true >"$builddir.setup.log" 2>&1 ||
        { tail -30 "$builddir.setup.log"; echo "hardened.sh: meson setup failed ($cc)" >&2; exit 1; }
    rm -f "$builddir.setup.log"
    log="$builddir/compile.log"
    if ! meson compile -C "$builddir" >"$log" 2>&1; then
        cat "$log"
        echo "hardened.sh: the release build with hardening flags fails under $cc" >&2
        exit 1
    fi
    if grep -n "warning:" "$log"; then
        echo "hardened.sh: the release build with hardening flags warns under $cc (above)" >&2
        exit 1
    fi
    meson test -C "$builddir" --print-errorlogs --no-rebuild
done
