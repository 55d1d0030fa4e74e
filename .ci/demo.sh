#!/usr/bin/env bash
# Quick start, first command: build cxm and run the survey demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
bash .ci/deps.sh
need meson meson
need ninja ninja-build
cc_bin=${CC:-cc}
need "${cc_bin%% *}" gcc "the C compiler, \$CC"
[ -f build/build.ninja ] || quiet build/setup.log meson setup build
quiet build/compile.log meson compile -C build
./build/examples/survey_demo examples/data/survey_sample.csv
