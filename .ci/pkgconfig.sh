#!/usr/bin/env bash
# Installs cxm into a temporary prefix and builds an outside program against
# it through pkg-config, dynamically and statically.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d)
trap 'rm -rf "$prefix" build-install' EXIT
rm -rf build-install
meson setup build-install --prefix="$prefix" --libdir=lib -Dtests=false -Dexamples=false \
    -Dbenchmarks=false >/dev/null
meson install -C build-install >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
out=$prefix/consumer
cc -std=c11 -Wall -Wextra -Werror examples/pkgconfig_consumer.c -o "$out" \
    $(pkg-config --cflags --libs cxm)
LD_LIBRARY_PATH="$prefix/lib" "$out"
cc -std=c11 examples/pkgconfig_consumer.c -o "$out-static" \
    $(pkg-config --cflags cxm) "$prefix/lib/libcxm.a" $(pkg-config --libs-only-other --static cxm) -lm
"$out-static"
readelf -d "$prefix/lib/libcxm.so" | grep -q 'SONAME.*libcxm.so.0' || { echo "bad soname"; exit 1; }
echo "pkg-config consumer built and ran (shared and static); soname libcxm.so.0"
