import { SdflError } from "../../core/errors.js";
import type { BenchRun } from "./runSeed.js";
import { benchTasks, taskKey } from "./settings.js";
import { assembleResults } from "./assemble.js";
import type { BenchFailure, BenchResults } from "./summary.js";
import type { Shard } from "./shard.js";

/** Settings fields that describe one share's execution, not the sweep. */
const PER_SHARE = ["shard", "workers", "queue", "finishedAt", "seconds"];

/** The sweep a share belongs to; file paths and timings are left out (each machine installs and runs at its own pace). */
function sweepOf(r: BenchResults): string {
  const s: Record<string, unknown> = { ...r.settings, strategies: r.settings.strategies.map((x) => x.name) };
  for (const k of PER_SHARE) delete s[k];
  return JSON.stringify({ oracle: { name: r.oracle.name, kind: r.oracle.kind, max: r.oracle.max, argmax: r.oracle.argmax }, settings: s });
}

/**
 * Join the results.json of the shares of one sweep (`sdfl bench --shard i/N`) into the
 * results of the whole sweep, as if it had run on one machine. Every share must be of the
 * same sweep (oracle and settings), each shard index present exactly once, and every
 * (strategy, seed) run present once, unless its strategy failed; otherwise a
 * {@link SdflError} says which file or run is wrong.
 */
export function mergeBenchResults(parts: readonly { file: string; results: BenchResults }[]): BenchResults {
  if (parts.length === 0) throw new SdflError("nothing to merge", "give the output folders of the shares, e.g. sdfl bench merge shard-0 shard-1");
  const first = parts[0];
  const shards = new Map<number, string>();
  let count: number | undefined;
  for (const p of parts) {
    if (sweepOf(p.results) !== sweepOf(first.results)) {
      throw new SdflError(
        `${p.file} is a share of a different sweep than ${first.file} (oracle or settings differ)`,
        "merge only the shares of one `sdfl bench --shard i/N` sweep",
      );
    }
    const sh = p.results.settings.shard as Shard | undefined;
    if (!sh) throw new SdflError(`${p.file} is not a share (it was not run with --shard i/N)`, "merge the outputs of `sdfl bench --shard i/N` runs");
    if (count !== undefined && sh.count !== count)
      throw new SdflError(`${p.file} is shard ${sh.index}/${sh.count}, the others are of ${count}`, "merge shares of one sweep");
    count = sh.count;
    if (shards.has(sh.index))
      throw new SdflError(`shard ${sh.index}/${sh.count} is given twice: ${shards.get(sh.index)} and ${p.file}`, "give each share once");
    shards.set(sh.index, p.file);
  }
  const missingShards = Array.from({ length: count! }, (_, i) => i).filter((i) => !shards.has(i));
  if (missingShards.length > 0)
    throw new SdflError(
      `shards ${missingShards.map((i) => `${i}/${count}`).join(", ")} are missing`,
      "run them (or wait for them) and merge all shares of the sweep",
    );

  const runs = new Map<string, BenchRun>();
  const failures: BenchFailure[] = [];
  for (const p of parts) {
    for (const [name, { runs: rs }] of Object.entries(p.results.strategies))
      for (const r of rs) {
        const key = taskKey({ strategy: name, seed: r.seed });
        if (runs.has(key)) throw new SdflError(`strategy ${name}, seed ${r.seed} is in two shares (second: ${p.file})`, "merge the shares of one sweep only");
        runs.set(key, r);
      }
    for (const f of p.results.failures ?? []) if (!failures.some((g) => g.strategy === f.strategy)) failures.push(f);
  }
  const settings: BenchResults["settings"] = { ...first.results.settings };
  for (const k of PER_SHARE) delete settings[k];
  const tasks = benchTasks(settings);
  const missing = tasks.filter((t) => !runs.has(taskKey(t)) && !failures.some((f) => f.strategy === t.strategy.name));
  if (missing.length > 0)
    throw new SdflError(
      `the shares lack ${missing.length} runs, e.g. strategy ${missing[0].strategy.name}, seed ${missing[0].seed}`,
      "a share did not finish: run it again with --resume, then merge",
    );
  settings.shards = count;
  settings.seconds = Math.max(...parts.map((p) => Number(p.results.settings.seconds) || 0));
  settings.finishedAt = new Date().toISOString();
  return assembleResults(first.results.oracle, settings, tasks, runs, failures);
}
