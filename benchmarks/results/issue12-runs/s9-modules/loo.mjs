// Scratch: LOO log predictive (per point) with and without the additive kernel part, on replayed runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
const D = "/work/main/dist";
const { Rng } = await import(`${D}/src/core/rng.js`);
const { initialDesign } = await import(`${D}/src/bo/design/initialDesign.js`);
const { deriveSeed } = await import(`${D}/src/bo/campaign/seeds.js`);
const { runCampaign } = await import(`${D}/src/bo/campaign/runner.js`);
const { MemoryJournal } = await import(`${D}/src/bo/campaign/memoryJournal.js`);
const { fromArray } = await import(`${D}/src/bo/problem/space.js`);
const { toUnit } = await import(`${D}/src/bo/strategies/unitSpace.js`);
const { GpSurrogate } = await import(`${D}/src/bo/gp/gpSurrogate.js`);
const { buildBenchmarkLab, problemOfOracle } = await import(`${D}/src/cli/labs.js`);
const { readableOracle } = await import(`${D}/benchmarks/runLogOracle.js`);
const strategyName = process.env.STRAT ?? "gp-ucb-trend-shaped-rec";
const maxSeeds = Number(process.env.NSEEDS ?? 20);
const mean = process.env.MEAN ?? "constant";
for (const dir of process.argv.slice(2)) {
  const lines = readFileSync(join(dir, "runs.jsonl"), "utf8").split("\n").filter(Boolean);
  const { oracle: rec, settings } = JSON.parse(lines[0]).sweep;
  const oracle = readableOracle(rec);
  const runs = lines.slice(1).map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter((e) => e && e.strategy === strategyName && e.run?.proposals).sort((a,b)=>a.seed-b.seed).slice(0, maxSeeds);
  const problem = await problemOfOracle(oracle);
  const space = problem.space;
  const out = [];
  for (const e of runs) {
    const lab = await buildBenchmarkLab(oracle, { noise: settings.noise, seed: deriveSeed(e.seed, "noise") });
    const told = []; let k = 0;
    const replay = { name: "replay", tell: async (obs) => void told.push(...obs), ask: async () => [{ condition: fromArray(space, e.run.proposals[k++]), info: {} }] };
    const initConditions = initialDesign(settings.init, space, new Rng(deriveSeed(e.seed, "design")));
    await runCampaign({ journal: new MemoryJournal(), lab, strategy: replay, problem, budget: settings.budget, finalExploit: settings.finalExploit, init: { kind: "design", label: "r", conditions: initConditions } });
    await lab.close();
    const Z = told.map((o) => toUnit(space, o.condition));
    const y = told.map((o) => o.objective);
    const res = [];
    for (const n of [settings.init.count, settings.init.count + Math.floor(settings.budget / 2), Z.length]) {
      const gp = new GpSurrogate({ additiveKernel: "auto", mean });
      const fr = await gp.fit({ X: Z.slice(0, n), y: y.slice(0, n) }, new Rng(7));
      const s = fr.meta.additiveSelection;
      res.push(`${n}:${(s.looWith - s.looWithout).toFixed(3)}`);
    }
    out.push(`seed ${e.seed} final ${(e.run.recommendedTrue.at(-1)).toFixed(4)} dLOO ${res.join(" ")}`);
    console.log(dir.split("/").pop(), out.at(-1));
  }
}
