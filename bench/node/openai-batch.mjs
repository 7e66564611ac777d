// The same work as `parallax-cli batch` in bench/batch-throughput.sh, done with the official `openai`
// Node.js client: N streamed chat completions at a given concurrency against a local server, each
// stream read to the end. Prints one JSON line: {"items", "seconds", "items_per_second", "peak_rss_mb"}.
//   node openai-batch.mjs BASE_URL ITEMS CONCURRENCY
import OpenAI from "openai";

const [baseURL, itemsArg, concurrencyArg] = process.argv.slice(2);
const items = Number(itemsArg ?? 2000);
const concurrency = Number(concurrencyArg ?? 16);
const client = new OpenAI({ apiKey: "bench", baseURL, maxRetries: 0 });

let next = 0;
let characters = 0;
async function worker() {
  while (next < items) {
    const index = next++;
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `Question number ${index}` }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      characters += chunk.choices[0]?.delta?.content?.length ?? 0;
    }
  }
}

const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (characters === 0) throw new Error("no answer text was received");
console.log(JSON.stringify({
  items, seconds, items_per_second: items / seconds,
  peak_rss_mb: process.resourceUsage().maxRSS / 1024,
}));
