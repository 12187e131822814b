import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_REACTOR_PARAMS as P, reactorParams } from "../../src/sim/params.js";
import { carrierFlow, dropletConcentrations, precursorFlow, reactionTime_s, reactorFlow, tau_s } from "../../src/sim/flow.js";
import { massTransferEfficiency, reactionCompletion, regimeFactors } from "../../src/sim/regimes.js";
import { gammaCdfUnitMean, OutletHistory, stepResponse } from "../../src/sim/transient.js";
import { HeaterPlant } from "../../src/sim/heaterPlant.js";
import { OrnsteinUhlenbeck } from "../../src/sim/drift.js";
import { Rng } from "../../src/core/rng.js";
import { std } from "../../src/sim/stats.js";
import { DEFAULT_SPACE, paperCondition } from "../../src/twin/space.js";

const flow = fc.double({ min: 1, max: 5000, noNaN: true });
const condition = fc.tuple(...DEFAULT_SPACE.inputs.map((s) => fc.double({ min: s.bounds[0], max: s.bounds[1], noNaN: true }))).map((x) => paperCondition(x));

describe("flow geometry", () => {
  it("residence time and tau fall as the total flow rises (property)", () => {
    fc.assert(
      fc.property(flow, flow, (a, b) => {
        fc.pre(a < b);
        expect(reactionTime_s(b, P.geometry)).toBeLessThan(reactionTime_s(a, P.geometry));
        expect(tau_s(b, P.geometry)).toBeLessThan(tau_s(a, P.geometry));
        expect(tau_s(a, P.geometry)).toBeGreaterThan(reactionTime_s(a, P.geometry));
      }),
    );
  });

  it("the published space spans 60 to 40 s of reaction time and PFO is half the precursors", () => {
    const lo = paperCondition(DEFAULT_SPACE.inputs.map((s) => s.bounds[0]));
    const hi = paperCondition(DEFAULT_SPACE.inputs.map((s) => s.bounds[1]));
    expect(reactionTime_s(reactorFlow(lo, P.geometry), P.geometry)).toBeCloseTo(60, 10);
    expect(reactionTime_s(reactorFlow(hi, P.geometry), P.geometry)).toBeCloseTo(40, 10);
    fc.assert(
      fc.property(condition, (c) => {
        expect(carrierFlow(c, P.geometry)).toBeCloseTo(precursorFlow(c) / 2, 9);
      }),
    );
  });

  it("droplet concentration = stock concentration x flow share; more ODE dilutes every element (property)", () => {
    fc.assert(
      fc.property(condition, fc.double({ min: 1, max: 100, noNaN: true }), (c, extra) => {
        const a = dropletConcentrations(c, P.stocks);
        const b = dropletConcentrations({ ...c, ODE: c.ODE + extra }, P.stocks);
        expect(b.Cu_mM).toBeLessThan(a.Cu_mM);
        expect(b.Zn_mM).toBeLessThan(a.Zn_mM);
        expect(b.Cs_mM).toBeLessThan(a.Cs_mM);
        const stockCu = (P.stocks.CuI_mmol / P.stocks.stockVolume_mL / P.stocks.dilution) * 1000;
        expect(a.Cu_mM).toBeCloseTo((stockCu * c.CuI) / precursorFlow(c), 9);
      }),
    );
  });
});

describe("regime factors", () => {
  it("mass-transfer efficiency is monotone, in [0, 1] and exactly 1 from the critical flow on (property)", () => {
    fc.assert(
      fc.property(flow, flow, (a, b) => {
        fc.pre(a <= b);
        const ea = massTransferEfficiency(a, P.regimes);
        const eb = massTransferEfficiency(b, P.regimes);
        expect(ea).toBeLessThanOrEqual(eb);
        expect(ea).toBeGreaterThanOrEqual(0);
        expect(eb).toBeLessThanOrEqual(1);
        if (a >= 576) expect(ea).toBe(1);
        if (b < 576) expect(eb).toBeLessThan(1);
      }),
    );
  });

  it("reaction completion is monotone and exactly 1 from 40 s on; the published space is unaffected", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), (a, b) => {
        fc.pre(a <= b);
        expect(reactionCompletion(a, P.regimes)).toBeLessThanOrEqual(reactionCompletion(b, P.regimes));
        if (a >= 40) expect(reactionCompletion(a, P.regimes)).toBe(1);
      }),
    );
    fc.assert(
      fc.property(condition, (c) => {
        const q = reactorFlow(c, P.geometry);
        expect(regimeFactors(q, reactionTime_s(q, P.geometry), P.regimes)).toEqual({ abs: 1, pla: 1 });
      }),
    );
  });

  it("below the critical flow PL/Abs300 falls with the flow (Fig. 4A-B)", () => {
    const f = (q: number) => regimeFactors(q, 50, P.regimes);
    expect(f(300).pla / f(300).abs).toBeLessThan(f(500).pla / f(500).abs);
    expect(f(700).pla / f(700).abs).toBe(1);
  });
});

describe("transients", () => {
  it("gamma CDF with 10 tanks: about 0.54 at tau, above 0.995 at 2 tau", () => {
    expect(gammaCdfUnitMean(1, 10)).toBeCloseTo(0.542, 3);
    expect(gammaCdfUnitMean(2, 10)).toBeGreaterThan(0.995);
  });

  it("the step response rises monotonically from 0 towards 1 (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (a, b) => {
        fc.pre(a <= b);
        const ga = stepResponse(a, 1, P.transient);
        const gb = stepResponse(b, 1, P.transient);
        expect(ga).toBeLessThanOrEqual(gb + 1e-15);
        expect(ga).toBeGreaterThanOrEqual(0);
        expect(gb).toBeLessThanOrEqual(1);
      }),
    );
    expect(stepResponse(2, 1, P.transient)).toBeGreaterThan(0.99);
    expect(stepResponse(0, 1, P.transient)).toBe(0);
  });

  it("the outlet reaches a new steady state after about two system volumes, with small carry-over", () => {
    const h = new OutletHistory([1], 100, P.transient);
    h.push({ start_uL: 0, values: [2] });
    expect(h.at(0)[0]).toBe(1);
    expect(h.at(100)[0]).toBeGreaterThan(1.4);
    expect(h.at(100)[0]).toBeLessThan(1.6);
    expect(h.at(200)[0]).toBeGreaterThan(1.99);
    expect(h.at(200)[0]).toBeLessThan(2);
    expect(h.at(5000)[0]).toBe(2);
    expect(h.inFlight).toBe(0);
  });
});

describe("heater", () => {
  it("the PID plate reaches any set point in range within 15 min with little overshoot (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 25, max: 180, noNaN: true }), fc.double({ min: 120, max: 180, noNaN: true }), (from, to) => {
        const h = new HeaterPlant(P.heater, from);
        h.setPoint_degC = to;
        let peak = -Infinity;
        let low = Infinity;
        for (let t = 0; t < 900; t += 5) {
          h.advance(5);
          peak = Math.max(peak, h.temperature_degC);
          low = Math.min(low, h.temperature_degC);
        }
        expect(Math.abs(h.temperature_degC - to)).toBeLessThan(0.1);
        expect(peak).toBeLessThan(Math.max(from, to) + 1);
        expect(low).toBeGreaterThan(Math.min(from, to) - 1);
        expect(h.output).toBeGreaterThanOrEqual(0);
        expect(h.output).toBeLessThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });

  it("a slower plate (larger thermal time constant) takes longer to heat", () => {
    const time = (tau: number) => {
      const h = new HeaterPlant(reactorParams({ heater: { thermalTimeConstant_s: tau } }).heater, 25);
      h.setPoint_degC = 160;
      let t = 0;
      while (h.temperature_degC < 150) {
        h.advance(1);
        t++;
      }
      return t;
    };
    expect(time(480)).toBeGreaterThan(time(240));
  });
});

describe("drift", () => {
  it("Ornstein-Uhlenbeck drift has the stationary std asked for and is slow", () => {
    const ou = new OrnsteinUhlenbeck(0.01, 7200, new Rng(1));
    const far: number[] = [];
    for (let k = 1; k <= 2000; k++) far.push(ou.at(k * 20000));
    expect(std(far)).toBeGreaterThan(0.009);
    expect(std(far)).toBeLessThan(0.011);
    const a = ou.at(1e8);
    expect(Math.abs(ou.at(1e8 + 10) - a)).toBeLessThan(0.002);
  });
});
