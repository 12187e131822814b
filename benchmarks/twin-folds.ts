/**
 * The outer folds twin-cv.ts uses, as JSON, so another harness (benchmarks/original-torch)
 * can cross-validate on exactly the same rows.
 *   node dist/benchmarks/twin-folds.js [--seeds 0,1,2] [--folds 6] [--rows 60] [--fold-order shuffled|file]
 * Prints {"folds": K, "rows": n, "seeds": {"<seed>": [[row, ...] per fold]}}; rows are 0-based
 * data rows (line i + 2 of inputs.csv). Fold f of seed s is the fold whose ensemble twin-cv
 * trains with seed s + 1000 (f + 1).
 */
import { foldsOf, type FoldOrder } from "../src/twin/crossValidation.js";

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const seeds = (arg("seeds") ?? "0,1,2").split(",").map(Number);
const k = Number(arg("folds") ?? 6);
const order = (arg("fold-order") ?? "shuffled") as FoldOrder;
const n = Number(arg("rows") ?? 60);
console.log(JSON.stringify({ folds: k, rows: n, seeds: Object.fromEntries(seeds.map((s) => [String(s), foldsOf(n, k, s, order)])) }));
