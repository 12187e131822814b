import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStrategy, loadStrategyModule, STRATEGY_NAMES } from "../../src/bo/strategies/index.js";
import { DEFAULT_SPACE, satisfiesConstraints, totalFlowConstraint } from "../../src/twin/space.js";
import { SdflError, UsageError } from "../../src/core/errors.js";
import type { Surrogate } from "../../src/bo/surrogate.js";
import type { Observation } from "../../src/bo/strategy.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { Rng } from "../../src/core/rng.js";

// The property suite (sdfl/testing) runs on every built-in in test/bo/testing/builtins*.test.ts.

describe("createStrategy", () => {
  it("knows every listed name and refuses others with the list", () => {
    for (const name of STRATEGY_NAMES) expect(createStrategy(name, { space: DEFAULT_SPACE, seed: 1 }).name).toBe(name);
    expect(() => createStrategy("bogus", { space: DEFAULT_SPACE, seed: 1 })).toThrow(UsageError);
    expect(() => createStrategy("bogus", { space: DEFAULT_SPACE, seed: 1 })).toThrow(/unknown strategy "bogus"/);
  });

  it("uses an injected surrogate factory for ei but not for gp-ei", async () => {
    let made = 0;
    const factory = (): Surrogate => {
      made++;
      const gp = new GpSurrogate();
      return Object.assign(Object.create(Object.getPrototypeOf(gp)), gp, { name: "injected" });
    };
    const obs = [0.1, 0.5, 0.9].map((v) => ({ condition: { T: 120 + 60 * v, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 }, objective: v }));
    const ei = createStrategy("mine-ei", { space: DEFAULT_SPACE, seed: 1 }, { surrogates: { mine: factory } });
    await ei.tell(obs);
    const [p] = await ei.ask(1);
    expect(p.info?.surrogate).toBe("injected");
    createStrategy("gp-ei", { space: DEFAULT_SPACE, seed: 1 }, { surrogates: { mine: factory } });
    expect(made).toBe(1);
  });

  it("exploit proposes the posterior-mean maximiser; batches use fantasies and stay feasible", async () => {
    const space = { ...DEFAULT_SPACE, constraints: [totalFlowConstraint(650, 750)] };
    const s = createStrategy("gp-logei", { space, seed: 3 });
    const obs = [0, 0.25, 0.5, 0.75, 1].map((v) => ({
      condition: { T: 120 + 60 * v, CuI: 90, ZnI2: 90, CsOA: 40, ODE: 240 },
      objective: 0.3 - (v - 0.6) ** 2,
    }));
    await s.tell(obs);
    const [exploit] = await s.ask(1, [], { exploit: true });
    expect(exploit.info?.acquisition).toBe("mean");
    const batch = await s.ask(4);
    expect(batch.length).toBe(4);
    for (const p of batch) expect(satisfiesConstraints(space, p.condition)).toBe(true);
  });
});

/**
 * Two strategies told the same observations: each one's next proposal, its recommendation's
 * predicted mean and its exploitation proposal.
 */
async function proposeAndRecommend(names: [string, string], obs: Observation[]) {
  const out = [];
  for (const name of names) {
    const s = createStrategy(name, { space: DEFAULT_SPACE, seed: 4 });
    await s.tell(obs);
    out.push({
      next: (await s.ask(1))[0].condition,
      recommended: (await s.recommend!())!.mean,
      exploit: (await s.ask(1, [], { exploit: true }))[0].condition,
    });
  }
  return out;
}

describe("gp-ucb-shaped-rec", () => {
  it("runs the same experiments as gp-ucb; its recommendation comes from a GP with relative noise", async () => {
    const obs = Array.from({ length: 12 }, (_, i) => {
      const v = i / 11;
      return { condition: { T: 120 + 60 * v, CuI: 80 + (40 * ((i * 7) % 11)) / 10, ZnI2: 90, CsOA: 40, ODE: 240 }, objective: 0.05 + 0.25 * v * v };
    });
    const [a, b] = await proposeAndRecommend(["gp-ucb", "gp-ucb-shaped-rec"], obs);
    expect(b.next).toEqual(a.next);
    expect(b.exploit).toEqual(a.exploit);
    expect(b.recommended).not.toBe(a.recommended);
  });
});

describe("gp-ucb-trend-shaped-rec", () => {
  it("runs the same experiments as gp-ucb-trend; its recommendation comes from a GP with shaped noise", async () => {
    // 60 observations in 5 inputs: the trend is fitted (10 per input).
    const rng = new Rng(9);
    const obs = Array.from({ length: 60 }, () => {
      const v = [rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()];
      const truth = 0.05 + 0.2 * v[0] * v[0] + 0.05 * v[1];
      return {
        condition: { T: 120 + 60 * v[0], CuI: 80 + 40 * v[1], ZnI2: 80 + 40 * v[2], CsOA: 20 + 60 * v[3], ODE: 220 + 60 * v[4] },
        objective: truth * (1 + 0.04 * rng.normal()),
      };
    });
    const [a, b] = await proposeAndRecommend(["gp-ucb-trend", "gp-ucb-trend-shaped-rec"], obs);
    expect(b.next).toEqual(a.next);
    expect(b.recommended).not.toBe(a.recommended);
  });
});

describe("gp-ucb-trend-autoadd", () => {
  // 60 observations in 5 inputs (10 per input: the additive part is considered).
  const observations = (truth: (v: number[]) => number) => {
    const rng = new Rng(12);
    return Array.from({ length: 60 }, () => {
      const v = [rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()];
      return {
        condition: { T: 120 + 60 * v[0], CuI: 80 + 40 * v[1], ZnI2: 80 + 40 * v[2], CsOA: 20 + 60 * v[3], ODE: 220 + 60 * v[4] },
        objective: truth(v) * (1 + 0.04 * rng.normal()),
      };
    });
  };

  it("is gp-ucb-trend-shaped-rec, experiments and recommendation, where leave-one-out does not clearly prefer the additive part", async () => {
    const obs = observations((v) => 0.1 + 0.1 * Math.exp(-8 * ((v[0] - 0.7) ** 2 + (v[1] - 0.4) ** 2)) * (1 + v[2] * v[3]));
    const [a, b] = await proposeAndRecommend(["gp-ucb-trend-shaped-rec", "gp-ucb-trend-autoadd"], obs);
    expect(b).toEqual(a);
  });

  it("takes the additive part on a separable response with several optima per input", async () => {
    // Styblinski-Tang on [-5, 5]^5, rescaled to about 0..0.3.
    const st = (v: number[]) =>
      0.3 *
      (1 -
        v.reduce((s, u) => {
          const x = -5 + 10 * u;
          return s + (x ** 4 - 16 * x * x + 5 * x) / 2 + 39.17;
        }, 0) /
          821);
    const [a, b] = await proposeAndRecommend(["gp-ucb-trend-shaped-rec", "gp-ucb-trend-autoadd"], observations(st));
    expect(b.next).not.toEqual(a.next);
    expect(b.recommended).not.toBe(a.recommended);
  });
});

describe("loadStrategyModule", () => {
  const dir = mkdtempSync(join(tmpdir(), "sdfl-strategy-"));

  it("loads a module whose default export is a strategy factory", async () => {
    const file = join(dir, "mine.mjs");
    writeFileSync(
      file,
      `export default (ctx) => ({ name: "mine", async ask(n) { return Array.from({ length: n }, () => ({ condition: { T: 150, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 } })); }, async tell() {} });\n`,
    );
    const factory = await loadStrategyModule(file);
    const s = await factory({ space: DEFAULT_SPACE, seed: 1 });
    expect(s.name).toBe("mine");
    expect((await s.ask(2)).length).toBe(2);
  });

  it("explains a missing file, a missing default export and a non-strategy", async () => {
    await expect(loadStrategyModule(join(dir, "nope.mjs"))).rejects.toThrow(SdflError);
    const noDefault = join(dir, "nodefault.mjs");
    writeFileSync(noDefault, "export const x = 1;\n");
    await expect(loadStrategyModule(noDefault)).rejects.toThrow(/default-exported function/);
    const notStrategy = join(dir, "notstrategy.mjs");
    writeFileSync(notStrategy, "export default () => ({});\n");
    const f = await loadStrategyModule(notStrategy);
    await expect(Promise.resolve(f({ space: DEFAULT_SPACE, seed: 1 }))).rejects.toThrow(/did not return a strategy/);
  });
});
