import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { BenchTaskData } from "../benchTask.js";

/** The BullMQ queue every `sdfl bench --queue` and `sdfl worker` use. */
export const BENCH_QUEUE_NAME = "sdfl-bench";

/** JSON with object keys sorted, so equal data gives equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** SHA-256 of a file's bytes (hex), cached per path for one process. */
const fileHashes = new Map<string, string>();
function fileSha256(file: string): string {
  let h = fileHashes.get(file);
  if (!h) {
    h = createHash("sha256").update(readFileSync(file)).digest("hex");
    fileHashes.set(file, h);
  }
  return h;
}

/**
 * The deterministic job id of one run: a hash of everything the run's result depends on
 * (oracle, the content of its twin/module files, the settings, the strategy and the
 * content of its module, the seed). The same run asked for again, by a restarted
 * controller or a larger sweep, finds the same job and its result instead of running it
 * again; a changed twin or a fixed strategy module gives a new job.
 */
export function benchJobId(d: BenchTaskData): string {
  const { strategies: _s, seeds: _n, ...settings } = d.settings;
  void _s;
  void _n;
  const oracleFile = (d.oracle as { file?: unknown }).file;
  const key = {
    v: 1,
    oracle: d.oracle,
    oracleSha256: typeof oracleFile === "string" ? fileSha256(oracleFile) : undefined,
    settings,
    strategy: d.task.strategy,
    strategySha256: d.task.strategy.module ? fileSha256(d.task.strategy.module) : undefined,
    seed: d.task.seed,
  };
  return "run-" + createHash("sha256").update(canonicalJson(key)).digest("hex").slice(0, 40);
}
