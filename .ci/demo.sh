#!/usr/bin/env bash
# Quick start, first command: build cxm and run the survey demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >build/compile.log 2>&1 || { cat build/compile.log; exit 1; }
./build/examples/survey_demo examples/data/survey_sample.csv
