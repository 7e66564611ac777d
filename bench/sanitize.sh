#!/usr/bin/env bash
# Sanitizer throughput on 1 KB, 100 KB and 10 MB of deterministic mixed text (prose, code, logs,
# with PII): in-process (parallax-sanitize-bench), then parallax-cli sanitize (plain mode, whole
# process, on one core and on two) side by side with the npm package redact-pii on the same files.
# Prints Markdown tables.
# Usage: bench/sanitize.sh [BUILD_DIR] [REPETITIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/dev}
reps=${2:-5}
cli=$build/src/cli/parallax-cli
bench=$build/bench/parallax-sanitize-bench
work=$here/results/sanitize
mkdir -p "$work"
[ -x "$cli" ] || { echo "sanitize.sh: $cli not built" >&2; exit 2; }
[ -x "$bench" ] || { echo "sanitize.sh: $bench not built" >&2; exit 2; }

# Deterministic corpus (16 pool lines cycled with a linear congruential index); the generator
# lives in bench/SanitizeBench.cpp so the in-process and whole-process figures use the same text.
for spec in 1k:1024 100k:102400 10m:10485760; do
    "$bench" --write-sample "$work/mixed-${spec%%:*}.txt" --bytes "${spec#*:}"
done

echo "### In-process (parallax-sanitize-bench, Sanitizer::sanitize, one thread, region US)"
echo
taskset -c 0 "$bench"
echo
echo "### Whole process (median of $reps)"
echo

# redact-pii, installed locally (never committed: bench/node_modules-dir is in .gitignore).
node_dir=$here/node_modules-dir
have_node=0
if command -v node >/dev/null && command -v npm >/dev/null; then
    [ -d "$node_dir/node_modules/redact-pii" ] || npm install --silent --prefix "$node_dir" redact-pii >/dev/null 2>&1 || true
    [ -d "$node_dir/node_modules/redact-pii" ] && have_node=1
    cat > "$work/redact.js" <<'JS'
const { SyncRedactor } = require(process.argv[2] + '/node_modules/redact-pii');
const fs = require('fs');
const redactor = new SyncRedactor();
process.stdout.write(redactor.redact(fs.readFileSync(process.argv[3], 'utf8')));
JS
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_ms() { # CPU-LIST command... -> median wall ms over $reps runs, pinned to CPU-LIST
    local cpus=$1
    shift
    for _ in $(seq "$reps"); do
        local t0 t1
        t0=$(date +%s%N); taskset -c "$cpus" "$@" >/dev/null; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | median
}
rate() { awk -v b="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / (t / 1000); else printf "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'; }

# Both programs get the same CPUs: one core, then two (parallax-cli scans blocks on a thread pool;
# Node has its own helper threads). The machine's other load counts against both alike.
for cpus in 0 0,1; do
    echo "CPUs $cpus:"
    echo
    echo "| input | parallax-cli sanitize | MB/s | redact-pii | MB/s | ratio |"
    echo "|---|---|---|---|---|---|"
    for name in 1k 100k 10m; do
        f=$work/mixed-$name.txt
        bytes=$(stat -c %s "$f")
        ours=$(time_ms "$cpus" "$cli" sanitize "$f")
        if [ $have_node = 1 ]; then
            theirs=$(time_ms "$cpus" node "$work/redact.js" "$node_dir" "$f")
            echo "| $name ($bytes B) | ${ours} ms | $(rate "$bytes" "$ours") | ${theirs} ms | $(rate "$bytes" "$theirs") | $(ratio "$theirs" "$ours") |"
        else
            echo "| $name ($bytes B) | ${ours} ms | $(rate "$bytes" "$ours") | (node/npm missing) | | |"
        fi
    done
    echo
done
