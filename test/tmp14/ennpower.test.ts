import { it } from "vitest";
import { createStrategy } from "../../src/bo/strategies/index.js";
import { strategyProperties } from "../../src/bo/testing/index.js";
import { ennSurrogateFactory } from "../../src/twin/ennSurrogate.js";
import { FAST_SCHEDULE } from "../../src/twin/enn/schedule.js";
import { DEFAULT_PLQY_REFERENCE } from "../../src/twin/plqy.js";
import { DEFAULT_SPACE, normalize, toArray, type Condition } from "../../src/twin/space.js";
function ennOutcomes(c: Condition, y: number) {
  const r = DEFAULT_PLQY_REFERENCE;
  const abs300 = 0.3 + 0.4 * normalize(DEFAULT_SPACE, toArray(c))[0];
  return { abs300, pla: (y * r.area * (1 - 10 ** -abs300)) / (r.plqy * (1 - 10 ** -r.abs)) };
}
const configs = [
  { label: "m4e80 b15", enn: { members: 4, workers: 1, schedule: { ...FAST_SCHEDULE, maxEpochs: 80 }, warmSchedule: { ...FAST_SCHEDULE, maxEpochs: 20, patience: 5 } }, budget: 15 },
  { label: "m8 fast b10", enn: { members: 8, workers: 1 }, budget: 10 },
];
for (const c of configs) it(c.label, async () => {
  const f = ennSurrogateFactory(c.enn);
  const [p] = strategyProperties((ctx) => createStrategy("ei", ctx, { surrogateFactory: f }), { outcomes: ennOutcomes, trials: 8, budget: c.budget, skip: ["in-bounds-and-constraints", "caller-data-untouched", "time-budget", "deterministic", "no-repeats", "incumbent-never-worse"] });
  for (let k = 0; k < 2; k++) { const t0 = Date.now(); try { await p.check(); console.log(c.label, "PASS", Date.now() - t0); } catch (e) { console.log(c.label, "FAIL", Date.now() - t0, (e as Error).message.match(/p = [\d.]+/)?.[0]); } }
}, 900000);
