import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyTransform, featureNames, flowFractions, invertTransform, parseInputTransform, transformJacobian } from "../../src/twin/inputTransform.js";
import { networkInputJacobian, networkInputs, CascadeEnsembleTwin } from "../../src/twin/cascadeEnsemble.js";
import { DEFAULT_SPACE, INPUT_NAMES } from "../../src/twin/space.js";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { trainEnsemble } from "../../src/twin/enn/trainEnsemble.js";
import { REGULARIZED_SCHEDULE } from "../../src/twin/enn/schedule.js";
import { initBackend } from "../../src/twin/backend.js";
import { UsageError } from "../../src/core/errors.js";

const bounds = DEFAULT_SPACE.inputs.map((s) => [s.bounds[0], s.bounds[1]] as [number, number]);
const t = flowFractions(bounds, [1, 2, 3, 4]);
/** A point of the paper's search space (T, CuI, ZnI2, CsOA, ODE). */
const point = fc.tuple(...bounds.map(([lo, hi]) => fc.double({ min: lo, max: hi, noNaN: true })));

describe("flow-fraction input transform", () => {
  it("names the features: T, total, and the fractions of all flows but the last", () => {
    expect(featureNames(t, INPUT_NAMES)).toEqual(["T", "total", "xCuI", "xZnI2", "xCsOA"]);
  });

  it("is inverted exactly by invertTransform, and its features lie within the stored bounds (property)", () => {
    fc.assert(
      fc.property(point, (x) => {
        const f = applyTransform(t, x);
        invertTransform(t, f).forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThanOrEqual(1e-9 * Math.abs(x[j])));
        f.forEach((v, a) => {
          const [lo, hi] = t.featureBounds[a];
          expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
          expect(v).toBeLessThanOrEqual(hi + 1e-12);
        });
      }),
    );
  });

  it("its Jacobian, and that of the network inputs, match central finite differences (property)", () => {
    const spec = { inputBounds: bounds, inputTransform: t };
    fc.assert(
      fc.property(point, (x) => {
        const J = transformJacobian(t, x);
        const Jz = networkInputJacobian(spec, x);
        for (let j = 0; j < 5; j++) {
          const h = 1e-4 * (bounds[j][1] - bounds[j][0]);
          const up = [...x];
          const dn = [...x];
          up[j] += h;
          dn[j] -= h;
          const fu = applyTransform(t, up);
          const fd = applyTransform(t, dn);
          const zu = networkInputs(spec, [up]);
          const zd = networkInputs(spec, [dn]);
          for (let a = 0; a < 5; a++) {
            expect(Math.abs((fu[a] - fd[a]) / (2 * h) - J[a][j])).toBeLessThan(1e-8 + 1e-6 * Math.abs(J[a][j]));
            expect(Math.abs((zu[a] - zd[a]) / (2 * h) - Jz[a][j])).toBeLessThan(1e-8 + 1e-6 * Math.abs(Jz[a][j]));
          }
        }
      }),
    );
  });

  it("the bounds are reached at corners of the box", () => {
    // xCuI is largest with CuI at its top and every other flow at its bottom.
    const x = [150, 120, 80, 20, 220];
    expect(applyTransform(t, x)[2]).toBeCloseTo(t.featureBounds[2][1], 14);
    expect(applyTransform(t, x)[1]).toBe(440);
  });

  it("rejects flows that are not distinct positive inputs, and a damaged stored transform", () => {
    expect(() => flowFractions(bounds, [1])).toThrow(UsageError);
    expect(() => flowFractions(bounds, [1, 1])).toThrow(UsageError);
    expect(() => flowFractions([[0, 1], ...bounds.slice(1)], [0, 1])).toThrow(/positive lower bounds/);
    expect(parseInputTransform(JSON.parse(JSON.stringify(t)), bounds)).toEqual(t);
    expect(() => parseInputTransform({ ...t, kind: "log" }, bounds)).toThrow(/flow-fractions/);
    expect(() => parseInputTransform({ ...t, flows: [1, 9] }, bounds)).toThrow(/inputTransform\.flows/);
    expect(() => parseInputTransform({ ...t, featureBounds: [[1, 0], ...t.featureBounds.slice(1)] }, bounds)).toThrow(/featureBounds"\[0\]/);
  });

  it("a twin trained on the features predicts from physical inputs on the float64 and TF.js paths alike", async () => {
    const ds = loadDataset(resolveDatasetDir("chem3"));
    const r = await trainEnsemble(ds, {
      members: 2,
      seed: 1,
      schedule: { ...REGULARIZED_SCHEDULE, maxEpochs: 40, patience: 40, features: "flow-fractions" },
      workers: 1,
    });
    expect(r.spec.inputTransform).toEqual(t);
    expect(r.spec.inputBounds).toEqual(bounds);
    await initBackend();
    const twin = new CascadeEnsembleTwin(r.spec);
    twin.mode = "js";
    const a = twin.predict(ds.X);
    twin.mode = "tf";
    const b = twin.predict(ds.X);
    a.plqyMean.forEach((v, i) => expect(Math.abs(b.plqyMean[i] - v) / v).toBeLessThan(1e-4));
    twin.dispose();
  });
});
