import { describe, expect, it } from "vitest";
import type { ExperimentRecord } from "../../src/bo/campaign/journal.js";
import { bestSoFarSpec } from "../../src/report/campaignPlots.js";
import { PAPER_PROBLEM } from "../../src/twin/space.js";

const c = { T: 150, CuI: 100, ZnI2: 100, CsOA: 40, ODE: 250 };
const rec = (index: number, phase: ExperimentRecord["phase"], objective?: number): ExperimentRecord => ({
  index,
  phase,
  source: "lab",
  status: objective === undefined ? "failed" : "done",
  condition: c,
  setPoints: {},
  ...(objective === undefined
    ? { error: "pump stalled" }
    : { measurement: { condition: c, setPoints: {}, outcomes: {}, objective, startedAt: 0, finishedAt: 1 } }),
});

describe("best-so-far figure", () => {
  it("plots each experiment at its own number (a failed one leaves a gap), progress only after the initial design, y from 0", () => {
    const spec = bestSoFarSpec(
      [rec(0, "init", 0.2), rec(1, "init", 0.1), rec(2, "optimizer"), rec(3, "optimizer", 0.15), rec(4, "optimizer", 0.3)],
      PAPER_PROBLEM,
    );
    const [measured, best] = spec.series;
    expect(measured.x).toEqual([1, 2, 4, 5]);
    expect(best).toMatchObject({ x: [2, 4, 5], y: [0.2, 0.2, 0.3], step: true });
    expect(spec.shade).toMatchObject({ x0: 0.5, x1: 2.5 });
    expect(spec.yDomain?.[0]).toBe(0);
    expect(spec.title).toBe("Campaign: best PLQY proxy so far");
  });
});
