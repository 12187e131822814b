/**
 * Recorded `sdfl bench` runs, read back and replayed exactly (shared by
 * bo-recommendation-replay and bo-additive-loo): the same oracle lab with the same seeded
 * noise, the same initial design and the recorded proposals in order, so every reading is
 * the one the strategy saw.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../src/core/rng.js";
import { initialDesign } from "../src/bo/design/initialDesign.js";
import { deriveSeed } from "../src/bo/campaign/seeds.js";
import { runCampaign } from "../src/bo/campaign/runner.js";
import { MemoryJournal } from "../src/bo/campaign/memoryJournal.js";
import { fromArray } from "../src/bo/problem/space.js";
import type { Problem } from "../src/bo/problem/problem.js";
import type { BenchmarkLab } from "../src/bo/lab.js";
import type { Observation, Strategy } from "../src/bo/strategy.js";
import type { BenchSettings } from "../src/bo/bench/settings.js";
import { buildBenchmarkLab, type OracleSpec } from "../src/cli/labs.js";
import { readableOracle } from "./runLogOracle.js";

/** One run of a bench sweep's runs.jsonl. */
export interface RecordedRun {
  strategy: string;
  seed: number;
  run: { proposals: number[][]; recommendedTrue: number[]; sampledBestTrue: number[] };
}

/** A bench output folder's sweep (oracle readable here) and its runs of one strategy within [seedLo, seedHi], by seed. */
export function readRecordedRuns(
  dir: string,
  strategy: string,
  seedLo = 1,
  seedHi = Number.MAX_SAFE_INTEGER,
  tool = "benchmark",
): { oracle: OracleSpec; settings: BenchSettings; runs: RecordedRun[] } {
  const file = join(dir, "runs.jsonl");
  if (!existsSync(file)) {
    console.error(`${tool}: ${file} not found (not a bench output folder)`);
    process.exit(2);
  }
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  const { oracle, settings } = (JSON.parse(lines[0]) as { sweep: { oracle: OracleSpec; settings: BenchSettings } }).sweep;
  const runs: RecordedRun[] = [];
  for (const line of lines.slice(1)) {
    try {
      const e = JSON.parse(line) as RecordedRun;
      if (e.strategy === strategy && e.run?.proposals && e.seed >= seedLo && e.seed <= seedHi) runs.push(e);
    } catch {
      // a line cut by a killed run
    }
  }
  return { oracle: readableOracle(oracle), settings, runs: runs.sort((a, b) => a.seed - b.seed) };
}

/**
 * Replay one recorded run: returns every observation in the order the strategy was told
 * them and the lab (still open, for true values; the caller closes it).
 */
export async function replayRun(
  oracle: OracleSpec,
  settings: BenchSettings,
  problem: Problem,
  e: RecordedRun,
): Promise<{ told: Observation[]; lab: BenchmarkLab }> {
  const lab = await buildBenchmarkLab(oracle, { noise: settings.noise, seed: deriveSeed(e.seed, "noise") });
  const told: Observation[] = [];
  let k = 0;
  // Replays the recorded proposals; makes no recommendations of its own.
  const replay: Strategy = {
    name: "replay",
    tell: async (obs) => void told.push(...obs),
    ask: async () => [{ condition: fromArray(problem.space, e.run.proposals[k++]), info: {} }],
  };
  const initConditions = initialDesign(settings.init, problem.space, new Rng(deriveSeed(e.seed, "design")));
  await runCampaign({
    journal: new MemoryJournal(),
    lab,
    strategy: replay,
    problem,
    budget: settings.budget,
    finalExploit: settings.finalExploit,
    init: { kind: "design", label: "replayed design", conditions: initConditions },
  });
  return { told, lab };
}
