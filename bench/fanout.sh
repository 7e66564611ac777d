#!/usr/bin/env bash
# Fan-out overhead of `parallax-cli compare`: N profiles, each on its own parallax-mock answering in
# about 0.5 s, against a single `run`. Also the CLI's CPU time per streamed token.
#
#   bench/fanout.sh [BUILD_DIR] [REPETITIONS]      (defaults: build/dev, 7)
#
# Prints a Markdown table; every figure is the median of REPETITIONS runs.
set -euo pipefail

build=${1:-build/dev}
reps=${2:-7}
cli="$build/src/cli/parallax-cli"
mock="$build/src/mock/parallax-mock"
[ -x "$cli" ] && [ -x "$mock" ] || { echo "build first (make test or cmake --build $build)" >&2; exit 2; }

export OPENAI_API_KEY=bench ANTHROPIC_API_KEY=bench GEMINI_API_KEY=bench
export PARALLAX_DATA_DIR; PARALLAX_DATA_DIR=$(mktemp -d)
pids=()
ports=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$PARALLAX_DATA_DIR"; }
trap cleanup EXIT

# 100 ms to the first token, then 40 tokens at 100 tokens/s: about 0.5 s per answer.
start_mock() {
    local log; log=$(mktemp)
    "$mock" --port 0 --ttft-ms 100 --tps 100 --tokens 40 --quiet "$@" >"$log" &
    pids+=($!)
    for _ in $(seq 100); do
        if grep -q listening "$log"; then break; fi
        sleep 0.05
    done
    ports+=("$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$log")")
    rm -f "$log"
}
for _ in $(seq 8); do start_mock; done

# One profile per mock, cycling through the five protocols.
spec() {
    local i=$1 port=${ports[$1]}
    case $((i % 5)) in
    0) echo "openai:gpt-4o-mini@http://127.0.0.1:$port/v1" ;;
    1) echo "anthropic:claude-haiku-4-5@http://127.0.0.1:$port" ;;
    2) echo "gemini:gemini-mock@http://127.0.0.1:$port" ;;
    3) echo "ollama:llama-mock@http://127.0.0.1:$port" ;;
    4) echo "openai-compatible:local-mock@http://127.0.0.1:$port/v1" ;;
    esac
}

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

time_command() { # prints wall milliseconds of one run
    local t0 t1
    t0=$(now_ms)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    t1=$(now_ms)
    echo $((t1 - t0))
}

measure() { # label, then the command; prints the median wall time
    local samples=()
    "$@" >/dev/null 2>&1 # warm-up
    for _ in $(seq "$reps"); do samples+=("$(time_command "$@")"); done
    printf '%s\n' "${samples[@]}" | median
}

# Every engine feature is on (budget check and reservation, rate limiter, circuit breaker, cost, spend
# ledger, audit log, history) except the cache, which would answer every repetition from disk.
"$cli" budget set --daily 1000 --monthly 10000 >/dev/null
prompt="Describe the loopback interface."
run1=$(measure "$cli" run --no-cache --json -p "$(spec 0)" "$prompt")
args3=(); for i in 0 1 2; do args3+=(-p "$(spec $i)"); done
args8=(); for i in $(seq 0 7); do args8+=(-p "$(spec "$i")"); done
cmp3=$(measure "$cli" compare --no-cache --json "${args3[@]}" "$prompt")
cmp8=$(measure "$cli" compare --no-cache --json "${args8[@]}" "$prompt")
cached=$(measure "$cli" run --json -p "$(spec 0)" "$prompt")

# CPU time per streamed token: 8 profiles × 2,000 tokens, sent as fast as the mocks can.
cpu_prompt="Long answer please [[mock:tokens=2000 tps=0 ttft=0]]"
TIMEFORMAT='%U %S'
cpu=$( { time "$cli" compare --no-cache --json "${args8[@]}" "$cpu_prompt" >/dev/null 2>&1; } 2>&1 )
tokens=$((8 * 2000))
cpu_us_per_token=$(echo "$cpu" | awk -v t="$tokens" '{printf "%.2f", ($1 + $2) * 1e6 / t}')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo "| measure | median wall time | ÷ run-1 |"
echo "|---|---|---|"
echo "| run, 1 profile | ${run1} ms | 1.000 |"
echo "| compare, 3 profiles | ${cmp3} ms | $(ratio "$cmp3" "$run1") |"
echo "| compare, 8 profiles | ${cmp8} ms | $(ratio "$cmp8" "$run1") |"
echo "| run, answered from the cache | ${cached} ms | $(ratio "$cached" "$run1") |"
echo
echo "CPU time of parallax-cli per streamed token (8 × 2,000 tokens): ${cpu_us_per_token} µs (user+sys ${cpu} s)"
