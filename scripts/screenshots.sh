#!/usr/bin/env bash
# Regenerates the README's screenshots from the real window, offscreen: demo mode against parallax-mock
# in a throwaway data folder, a three-column comparison (docs/comparison.png) and the cost window with
# sample history (docs/cost.png). See tools/ScreenshotDriver.cpp.
#
#   scripts/screenshots.sh [BUILD_DIR] [OUTPUT_DIR]      (defaults: build/dev, docs)
set -euo pipefail

cd "$(dirname "$0")/.."
build=${1:-build/dev}
out=${2:-docs}
cmake --build "$build" --target parallax-screenshots parallax-mock >/dev/null
mkdir -p "$out"
QT_QPA_PLATFORM=offscreen "$build/tools/parallax-screenshots" "$build/src/mock/parallax-mock" "$out"
