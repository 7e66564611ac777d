#!/usr/bin/env bash
# Batch throughput: ITEMS streamed prompts at CONCURRENCY against nginx on loopback serving one fixed
# streamed answer (it answers tens of thousands of requests a second here, so the client is what is
# measured). parallax-cli batch (with every engine feature on: sanitizing, budget, rate limiter,
# cost, audit, history; the cache off so every item is a request) side by side with the official
# `openai` npm client doing the same work. Also peak memory at 1,000 and 10,000 items.
#
#   bench/batch-throughput.sh [BUILD_DIR] [ITEMS] [CONCURRENCY]     (defaults: build/dev 2000 16)
#
# Needs nginx (apt-get install nginx-light) and Node.js with npm; installs the `openai` package into
# bench/node/node_modules on first use.
set -euo pipefail

build=${1:-build/dev}
items=${2:-2000}
concurrency=${3:-16}
here=$(cd "$(dirname "$0")" && pwd)
cli="$build/src/cli/parallax-cli"
[ -x "$cli" ] || { echo "build first (make test)" >&2; exit 2; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 2; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 2; }
[ -d "$here/node/node_modules/openai" ] || (cd "$here/node" && npm install --no-audit --no-fund --silent)

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user when started by root
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

# One fixed streamed answer: 24 content chunks, the finish chunk, the usage chunk and [DONE].
body=""
for i in $(seq 1 24); do
    body+="data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word$i\"},\"finish_reason\":null}]}\n\n"
done
body+="data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
body+="data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":24,\"total_tokens\":33}}\n\n"
body+="data: [DONE]\n\n"
printf '%b' "$body" > "$work/answer.sse"

port=$(( 20000 + RANDOM % 20000 ))
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/body;
    server {
        listen 127.0.0.1:$port;
        location / {
            # POST is answered with the file, as a provider answers a streamed completion.
            error_page 405 =200 \$uri;
            default_type text/event-stream;
            root $work;
            try_files /answer.sse =404;
        }
    }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 50); do curl -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/chat/completions" && break; sleep 0.1; done
served=$(curl -s -X POST "http://127.0.0.1:$port/v1/chat/completions" -d '{}')
[[ "$served" == *"[DONE]"* ]] || { echo "nginx does not serve the stream: ${served:0:200}" >&2; exit 1; }

make_input() { # count file
    for i in $(seq 1 "$1"); do printf '{"id":"%d","prompt":"Question number %d"}\n' "$i" "$i"; done > "$2"
}

run_parallax() { # count -> "seconds peak_mb"
    local n=$1 data="$work/data-$1"
    make_input "$n" "$work/in-$n.jsonl"
    rm -rf "$data"
    local start end
    start=$(date +%s.%N)
    PARALLAX_DATA_DIR="$data" OPENAI_API_KEY=bench /usr/bin/time -f '%M' -o "$work/rss" \
        "$cli" batch --no-cache -p "openai:gpt-4o-mini@http://127.0.0.1:$port/v1" --concurrency "$concurrency" \
        --input "$work/in-$n.jsonl" --output "$work/out-$n.jsonl" 2>/dev/null
    end=$(date +%s.%N)
    [ "$(wc -l < "$work/out-$n.jsonl")" -eq "$n" ] || { echo "parallax-cli wrote the wrong number of results" >&2; exit 1; }
    echo "$(echo "$end - $start" | bc -l) $(( $(cat "$work/rss") / 1024 ))"
}

read -r ours_s ours_mb < <(run_parallax "$items")
node_json=$(node "$here/node/openai-batch.mjs" "http://127.0.0.1:$port/v1" "$items" "$concurrency")
node_s=$(echo "$node_json" | sed 's/.*"seconds":\([0-9.]*\).*/\1/')
node_mb=$(echo "$node_json" | sed 's/.*"peak_rss_mb":\([0-9.]*\).*/\1/')
read -r _ mb_1k < <(run_parallax 1000)
read -r _ mb_10k < <(run_parallax 10000)

printf '| client | %s items at concurrency %s | items/s | peak memory |\n|---|---|---|---|\n' "$items" "$concurrency"
printf '| parallax-cli batch | %.2f s | %.0f | %s MB |\n' "$ours_s" "$(echo "$items / $ours_s" | bc -l)" "$ours_mb"
printf '| openai npm (Node.js %s) | %.2f s | %.0f | %.0f MB |\n' "$(node --version)" "$node_s" "$(echo "$items / $node_s" | bc -l)" "$node_mb"
printf '\nparallax-cli is %.2fx as fast with %.2fx the memory. Peak memory: %s MB at 1,000 items, %s MB at 10,000.\n' \
    "$(echo "$node_s / $ours_s" | bc -l)" "$(echo "$ours_mb / $node_mb" | bc -l)" "$mb_1k" "$mb_10k"
