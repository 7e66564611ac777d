#!/usr/bin/env bash
# The window's responsiveness while eight answers stream, its start-up time and its idle memory, on the
# real MainWindow (offscreen). See bench/GuiBench.cpp for how each figure is measured.
#
#   bench/gui.sh [BUILD_DIR] [REPETITIONS]      (defaults: build/dev, 5)
#
# Prints a Markdown table: start-up and idle memory are medians of REPETITIONS start-ups; the lag figures
# are medians of up to three 8 × 2,000-token comparisons at 100 tokens/s (about 20 s each).
set -euo pipefail

build=${1:-build/dev}
reps=${2:-5}
bench="$build/bench/parallax-gui-bench"
mock="$build/src/mock/parallax-mock"
[ -x "$bench" ] && [ -x "$mock" ] || { echo "build first (cmake --build $build --target parallax-gui-bench parallax-mock)" >&2; exit 2; }

QT_QPA_PLATFORM=offscreen "$bench" "$mock" 8 2000 100 "$reps"
