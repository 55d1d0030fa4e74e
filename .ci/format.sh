#!/usr/bin/env bash
# Fails when a C source is not formatted with the checked-in .clang-format
# (Debian 12's clang-format 14). Fix with: clang-format -i $(git ls-files '*.c' '*.h' '*.cpp')
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.c' '*.h' '*.cpp' | xargs -0 clang-format --dry-run --Werror
echo "formatting: clean"
