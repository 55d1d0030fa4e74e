#!/usr/bin/env bash
# The report on the shipped sample export, from a fresh clone: installs what
# building needs (Debian 12), builds cxm with cxm-report in build/ and runs
# it. Extra arguments go to cxm-report (--json, --html report.html, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
if [ -f build/build.ninja ]; then
    meson configure build -Dreport=enabled >/dev/null
else
    meson setup build -Dreport=enabled >/dev/null
fi
meson compile -C build >build/compile.log 2>&1 || { cat build/compile.log; exit 1; }
./build/report/cxm-report report/sample/tickets.csv --survey report/sample/survey.csv \
    --as-of 2024-03-25T00:00Z "$@"
