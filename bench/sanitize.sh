#!/usr/bin/env bash
# Sanitizer throughput: parallax-cli sanitize (plain mode, whole process, one core) on 1 KB, 100 KB
# and 10 MB of deterministic mixed text (prose, code, logs, with PII), side by side with the npm
# package redact-pii on the same files. Prints a Markdown table.
# Usage: bench/sanitize.sh [BUILD_DIR] [REPETITIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build/dev}
reps=${2:-5}
cli=$build/src/cli/parallax-cli
work=$here/results/sanitize
mkdir -p "$work"
[ -x "$cli" ] || { echo "sanitize.sh: $cli not built" >&2; exit 2; }

# Deterministic corpus: a fixed pool of lines cycled with a linear congruential index.
python3 - "$work" <<'PY'
import sys
out = sys.argv[1]
pool = [
    "The quarterly report was reviewed by the committee and approved without changes.",
    "Please forward the invoice to marta.kowalski@fastmail.fm before Friday.",
    "2024-05-02T08:15:22Z INFO request_id=7f3a9c user_id=48213 latency_ms=182 status=200",
    "2024-05-02 08:15:23,417 WARN connection from 203.0.113.77 rejected: too many attempts",
    "for (int i = 0; i < count; ++i) { total += values[i] * weights[i]; }",
    "Call me tomorrow at (312) 555-0199 if the courier has not arrived.",
    "Build 20240318.4 passed on runner ci-07 in 412 seconds; upgrade 2.14.3 to 3.0.1.",
    "My SSN is 536-22-8147 and the card 5425 2334 3010 9903 was declined.",
    "Wire the deposit to GB33 BUKB 2020 1555 5555 55 (reference INV-2024-0031).",
    "export GITHUB_TOKEN=ghp_R8sK2mQ7xV4nL9pW3tZ6yB1cD5fG0hJ8kM2a",
    "    return std::make_unique<Widget>(parent, QStringLiteral(\"name\"), 42);",
    "Docs are at https://docs.parallax-example.org/guide/install and in CHANGES.md.",
    "Order #884213 shipped on 03/14/2024; the package weighs 2.5 kg.",
    "SELECT id, email FROM users WHERE created_at > '2023-11-30 00:00:00' LIMIT 500;",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "AWS key AKIAZ7Q3RWXN5LKT2MHV was rotated; the printer MAC is 3c:22:fb:9a:10:4e.",
]
for name, size in (("1k", 1024), ("100k", 100 * 1024), ("10m", 10 * 1024 * 1024)):
    parts, total, x = [], 0, 12345
    while total < size:
        x = (1103515245 * x + 12345) % 2**31
        line = pool[x % len(pool)] + "\n"
        parts.append(line); total += len(line.encode())
    data = "".join(parts).encode()[:size]
    data = data[: data.rfind(b"\n") + 1]
    open(f"{out}/mixed-{name}.txt", "wb").write(data)
PY

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
time_ms() { # command... -> median wall ms over $reps runs, pinned to one core
    for _ in $(seq "$reps"); do
        local t0 t1
        t0=$(date +%s%N); taskset -c 0 "$@" >/dev/null; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | median
}

echo "| input | parallax-cli sanitize | MB/s | redact-pii | MB/s | ratio |"
echo "|---|---|---|---|---|---|"
for name in 1k 100k 10m; do
    f=$work/mixed-$name.txt
    bytes=$(stat -c %s "$f")
    ours=$(time_ms "$cli" sanitize "$f")
    ours_rate=$(awk -v b="$bytes" -v t="$ours" 'BEGIN { if (t > 0) printf "%.1f", b / 1e6 / (t / 1000); else printf "-" }')
    if [ $have_node = 1 ]; then
        theirs=$(time_ms node "$work/redact.js" "$node_dir" "$f")
        theirs_rate=$(awk -v b="$bytes" -v t="$theirs" 'BEGIN { printf "%.2f", b / 1e6 / (t / 1000) }')
        ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }')
        echo "| $name ($bytes B) | ${ours} ms | $ours_rate | ${theirs} ms | $theirs_rate | $ratio |"
    else
        echo "| $name ($bytes B) | ${ours} ms | $ours_rate | (node/npm missing) | | |"
    fi
done
