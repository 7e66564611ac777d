#!/usr/bin/env bash
# Typing in a large prompt on the real MainWindow (offscreen): the GUI thread's stalls while a typist
# types into a 1 MB prompt, the cost of one key press, and how soon the redaction preview catches up.
# See bench/EditorBench.cpp for how each figure is measured.
#
#   bench/editor.sh [BUILD_DIR] [REPETITIONS] [BYTES]      (defaults: build/dev, 3, 1048576)
#
# The prompt is the sanitizer benchmark's sample text (prose, code, logs and personal data).
set -euo pipefail

build=${1:-build/dev}
reps=${2:-3}
bytes=${3:-1048576}
bench="$build/bench/parallax-editor-bench"
sample_tool="$build/bench/parallax-sanitize-bench"
[ -x "$bench" ] && [ -x "$sample_tool" ] ||
    { echo "build first (cmake --build $build --target parallax-editor-bench parallax-sanitize-bench)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$sample_tool" --write-sample "$work/prompt.txt" --bytes "$bytes"
QT_QPA_PLATFORM=offscreen "$bench" "$work/prompt.txt" 150 40 "$reps"
