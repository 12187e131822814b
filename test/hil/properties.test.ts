import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { floatToWords, wordsToFloat } from "../../src/hil/drivers/float32Words.js";
import { dryRun } from "../../src/hil/dryRun.js";
import { planExperiment, type PlanRules } from "../../src/hil/plan.js";
import { PAPER_REACTOR_MAP } from "../../src/hil/reactorMap.js";

const RULES: PlanRules = {
  residence: { volume_uL: 883, times: 2 },
  temperature: { tolerance_degC: 0.5, hold_s: 20, poll_s: 2, timeout_s: 1800 },
  heaterRamp_degC_min: 10,
  acquire_s: 10,
};
const PUMPS = ["CuI", "ZnI2", "CsOA", "ODE", "PFO"];

describe("hil invariants (fast-check)", () => {
  it("a float32 survives two Modbus registers in either word order", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), fc.constantFrom("low-first" as const, "high-first" as const), (v, order) => {
        const w = floatToWords(v, order);
        expect(w.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff)).toBe(true);
        expect(Object.is(wordsToFloat(w, order), Math.fround(v))).toBe(true);
      }),
    );
  });

  it("a dry run refuses exactly when a limit or a syringe would be violated, and the PFO pump gets its set point", () => {
    const rate = fc.double({ min: 0, max: 600, noNaN: true });
    fc.assert(
      fc.property(
        // Zero flows are drawn on purpose (a stopped lab): total flow 0 gives an infinite residence time.
        fc.record({
          T: fc.double({ min: 0, max: 250, noNaN: true }),
          CuI: fc.oneof(rate, fc.constant(0)),
          ZnI2: fc.oneof(rate, fc.constant(0)),
          CsOA: fc.oneof(rate, fc.constant(0)),
          ODE: fc.oneof(rate, fc.constant(0)),
        }),
        fc.double({ min: 0, max: 60_000, noNaN: true }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        (c, remaining, plate) => {
          const pfo = 0.5 * (c.CuI + c.ZnI2 + c.CsOA + c.ODE);
          const plan = planExperiment(c, PAPER_REACTOR_MAP, RULES, plate, { PFO: pfo });
          expect(plan.rates.PFO).toBe(pfo);
          const limits = { rate_uL_min: [0, 500] as [number, number], syringeVolume_uL: 60_000 };
          const r = dryRun(plan, {
            pumps: Object.fromEntries(PUMPS.map((p) => [p, { limits, remaining_uL: remaining }])),
            heater: { setPoint_degC: [20, 185], safeSetPoint_degC: 25 },
            totalFlow_uL_min: [300, 1500],
            syringeMargin: 0.5,
          });
          const total = plan.totalFlow_uL_min;
          const needMax = Math.max(...r.volumes.map((v) => v.need_uL));
          const violated = c.T < 20 || c.T > 185 || total < 300 || total > 1500 || Object.values(plan.rates).some((q) => q > 500) || needMax > remaining;
          expect(r.refusals.length > 0).toBe(violated);
          for (const v of r.volumes) {
            expect(Number.isNaN(v.need_uL)).toBe(false);
            expect(v.need_uL).toBeCloseTo(v.rate_uL_min === 0 ? 0 : ((v.rate_uL_min * r.total_s) / 60) * 1.5, 6);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
