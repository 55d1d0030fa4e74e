#!/usr/bin/env bash
# Installs cxm into a temporary prefix and builds an outside program against
# it through pkg-config, dynamically and statically.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
need meson meson
need ninja ninja-build
need pkg-config pkg-config
need cc gcc "the consumer is built with cc"
need readelf binutils "to read the soname"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix" build-install' EXIT
rm -rf build-install
quiet build-install/setup.log meson setup build-install --prefix="$prefix" --libdir=lib \
    -Dtests=false -Dexamples=false -Dbenchmarks=false
quiet "$prefix/install.log" meson install -C build-install
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
out=$prefix/consumer
cc -std=c11 -Wall -Wextra -Werror examples/pkgconfig_consumer.c -o "$out" \
    $(pkg-config --cflags --libs cxm)
LD_LIBRARY_PATH="$prefix/lib" "$out"
cc -std=c11 examples/pkgconfig_consumer.c -o "$out-static" \
    $(pkg-config --cflags cxm) "$prefix/lib/libcxm.a" $(pkg-config --libs-only-other --static cxm) -lm
"$out-static"
if ! readelf -d "$prefix/lib/libcxm.so" | grep -q 'SONAME.*libcxm.so.0'; then
    echo "$ci_name: FAILED: $prefix/lib/libcxm.so does not carry the soname libcxm.so.0:" >&2
    readelf -d "$prefix/lib/libcxm.so" | grep SONAME >&2 || true
    exit 1
fi
echo "pkg-config consumer built and ran (shared and static); soname libcxm.so.0"
