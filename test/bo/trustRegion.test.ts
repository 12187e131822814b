import { describe, expect, it } from "vitest";
import { TrustRegion } from "../../src/bo/strategies/trustRegion.js";
import { unitCube } from "../../src/bo/optimize/feasibleSet.js";
import { createStrategy } from "../../src/bo/strategies/index.js";
import { toUnit } from "../../src/bo/strategies/unitSpace.js";
import { SyntheticLab } from "../../src/bo/oracles/syntheticLab.js";
import { HARTMANN6 } from "../../src/bo/oracles/testFunctions.js";
import { Rng } from "../../src/core/rng.js";
import { DEFAULT_SPACE, denormalize, paperCondition } from "../../src/twin/space.js";

describe("trust region", () => {
  it("doubles after 2 successes, halves after 3 failures, within [min, max]", () => {
    const tr = new TrustRegion({ initial: 0.4, min: 0.1, max: 0.8 });
    tr.update(true);
    expect(tr.length).toBe(0.4);
    tr.update(true);
    expect(tr.length).toBe(0.8);
    tr.update(true);
    tr.update(true);
    expect(tr.length).toBe(0.8);
    for (let i = 0; i < 3; i++) tr.update(false);
    expect(tr.length).toBe(0.4);
    for (let i = 0; i < 30; i++) tr.update(false);
    expect(tr.length).toBe(0.1);
  });

  it("the box is clipped to the feasible set; every 2nd proposal is global by default", () => {
    const tr = new TrustRegion({ initial: 0.4 });
    const b = tr.box(unitCube(2), [0.9, 0.5]);
    expect(b.lower[0]).toBeCloseTo(0.7, 12);
    expect(b.upper).toEqual([1, 0.7]);
    expect([0, 1, 2, 3].map((k) => tr.isGlobal(k))).toEqual([false, true, false, true]);
    expect(new TrustRegion({ globalEvery: 0 }).isGlobal(1)).toBe(false);
  });

  it("gp-nei-tr: a local proposal lies inside the box around the incumbent it reports", async () => {
    const lab = new SyntheticLab(HARTMANN6, { noise: 0.04, seed: 2, space: DEFAULT_SPACE });
    const rng = new Rng(5);
    const s = createStrategy("gp-nei-tr", { space: DEFAULT_SPACE, seed: 4 });
    for (let i = 0; i < 20; i++) {
      const m = await lab.run(
        paperCondition(
          denormalize(
            DEFAULT_SPACE,
            [0, 0, 0, 0, 0].map(() => rng.uniform()),
          ),
        ),
      );
      await s.tell([{ condition: m.condition, objective: m.objective }]);
    }
    const [p] = await s.ask(1);
    const tr = p.info!.trustRegion as { local: boolean; length: number; center: Record<string, number> };
    expect(tr.local).toBe(true);
    const c = toUnit(DEFAULT_SPACE, tr.center as never);
    const z = toUnit(DEFAULT_SPACE, p.condition);
    for (let j = 0; j < 5; j++) expect(Math.abs(z[j] - c[j])).toBeLessThanOrEqual(tr.length / 2 + 1e-9);
    const m = await lab.run(p.condition);
    await s.tell([{ condition: m.condition, objective: m.objective }]);
    const [q] = await s.ask(1);
    expect((q.info!.trustRegion as { local: boolean }).local).toBe(false);
    s.dispose?.();
  });
});
