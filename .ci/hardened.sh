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
source .ci/lib.sh
need meson meson
need ninja ninja-build
need --ci dpkg-buildflags dpkg-dev "Debian's hardening flags"
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
    *) echo "$ci_name: unknown compiler $cc (gcc or clang)" >&2; exit 1 ;;
    esac
    need "$cc" "$cc"
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
        quiet "$builddir/setup.log" meson setup "$builddir" -Dbuildtype=release -Dwerror=true
    quiet "$builddir/compile.log" meson compile -C "$builddir"
    if grep -n "warning:" "$builddir/compile.log"; then
        echo "$ci_name: the release build with hardening flags warns under $cc (above)" >&2
        exit 1
    fi
    meson test -C "$builddir" --print-errorlogs --no-rebuild
done
