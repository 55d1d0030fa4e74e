#!/usr/bin/env bash
# cxm-report: built with its two dependencies required (libcsv, jansson),
# warnings as errors, every report test run (the HTML check with Chromium
# required), then installed by `meson install` and run from the install.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for p in libcsv-dev libjansson-dev chromium python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "report gate: missing Debian packages: ${missing[*]}" >&2
    echo "  install them with: bash .ci/deps.sh --ci   (or apt-get install ${missing[*]})" >&2
    exit 1
fi
builddir=${CXM_BUILDDIR:-build-report}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
rm -rf "$builddir"
meson setup "$builddir" -Dreport=enabled -Dwerror=true --prefix="$prefix" --libdir=lib \
    >/dev/null || { tail -30 "$builddir/meson-logs/meson-log.txt"; exit 1; }
meson compile -C "$builddir" >"$builddir/compile.log" 2>&1 || { cat "$builddir/compile.log"; exit 1; }
CXM_REQUIRE_CHROMIUM=1 meson test -C "$builddir" --suite report --print-errorlogs
meson install -C "$builddir" >/dev/null
test -x "$prefix/bin/cxm-report" || { echo "meson install did not install cxm-report" >&2; exit 1; }
test -f "$prefix/share/cxm/cxm-report.schema.json" || { echo "schema not installed" >&2; exit 1; }
LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/cxm-report" report/sample/tickets.csv \
    --survey report/sample/survey.csv --as-of 2024-03-25T00:00Z >/dev/null
echo "cxm-report: tests passed; installed to bin/ and ran from the install"
