// `bun bench/image-bomb.ts`: what refusing a decompression bomb costs, against processing an
// ordinary photo in the same run, so that the result is a ratio and not a figure of this machine.
// The unit test proves the bomb is refused from its header; this measures what that saves.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processImage } from "../src/domain/catalog/images/process";
import { blackPng, makeImage } from "../tests/unit/images/fixtures";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

/** Mean milliseconds of one `work`, after one warm-up round. */
async function meanMs(work: () => Promise<unknown>): Promise<number> {
  await work();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) await work();
  return (performance.now() - started) / ROUNDS;
}

const photo = await makeImage("jpeg", 2400, 1800);
// 400 megapixels in some 50 KB: decoding it would take seconds and gigabytes.
const bomb = blackPng(20_000, 20_000);

const baseline = await meanMs(() => processImage(photo));
const refusal = await meanMs(async () => {
  const outcome = await processImage(bomb).then(
    () => "processed",
    (error: { code?: string }) => error.code,
  );
  if (outcome !== "image_too_large") throw new Error(`the bomb was not refused as too large: ${outcome}`);
});

const rows = [
  { name: "baseline", work: "process a 2400×1800 JPEG into three WebP sizes", meanMs: baseline },
  { name: "bomb", work: "refuse a 20000×20000 PNG (400 megapixels)", meanMs: refusal },
].map((row) => ({
  ...row,
  meanMs: Math.round(row.meanMs * 1000) / 1000,
  "time vs baseline": (row.meanMs / baseline).toFixed(4),
}));
console.log(`\nimage-bomb: refusing a decompression bomb against processing a photo (${ROUNDS} rounds each)`);
console.table(rows);

mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
const record = { scenario: "image-bomb", at: new Date().toISOString(), rounds: ROUNDS, rows };
writeFileSync(
  join(import.meta.dirname, "results", "image-bomb.json"),
  `${JSON.stringify(record, null, 2)}\n`,
);
