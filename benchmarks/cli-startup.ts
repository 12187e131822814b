/**
 * Start-up time of the `sdfl` command.
 *   node dist/benchmarks/cli-startup.js [--quick]
 * Wall-clock seconds of `sdfl --help` and `sdfl campaign --help` (each a fresh Node
 * process), next to a bare `node -e 0`, so that a loaded machine's Node start-up can be
 * told apart from sdfl's own module loading. Goal: `sdfl --help` under 0.3 s.
 * Prints one JSON object and writes benchmarks/results/cli-startup.json (cli-startup.quick.json with --quick).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../src/core/packageRoot.js";

const quick = process.argv.includes("--quick");
const reps = quick ? 3 : 15;
const bin = join(packageRoot(), "bin", "sdfl.js");

/** Median, min and max wall-clock seconds of `node args` over `reps` runs. */
function time(args: string[]): { median_s: number; min_s: number; max_s: number } {
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { median_s: r3(t[Math.floor(t.length / 2)]), min_s: r3(t[0]), max_s: r3(t[t.length - 1]) };
}

const node = time(["-e", "0"]);
const help = time([bin, "--help"]);
const campaignHelp = time([bin, "campaign", "--help"]);
const result = {
  benchmark: "cli-startup",
  quick,
  reps,
  machine: { cpus: cpus().length, loadavg1: Math.round(loadavg()[0] * 100) / 100, node: process.version },
  nodeBare: node,
  sdflHelp: help,
  sdflCampaignHelp: campaignHelp,
  /** sdfl's own share of `sdfl --help`: median minus a bare Node start. */
  helpOverNode_s: Math.round((help.median_s - node.median_s) * 1000) / 1000,
  goal_s: 0.3,
  meetsGoal: help.median_s < 0.3,
};
console.log(JSON.stringify(result, null, 1));
mkdirSync(join("benchmarks", "results"), { recursive: true });
writeFileSync(join("benchmarks", "results", quick ? "cli-startup.quick.json" : "cli-startup.json"), JSON.stringify(result, null, 1) + "\n");
