import { describe, expect, it } from "vitest";
import { explainTwin, shapJson, SHAP_SLICE_MIN } from "../../../src/twin/insight/explainTwin.js";
import { loadTwin } from "../../../src/twin/loadTwin.js";
import { resolveTwinPath, resolveDatasetDir } from "../../../src/twin/dataPaths.js";
import { loadDataset } from "../../../src/twin/dataset.js";
import type { Twin } from "../../../src/twin/twin.js";

describe("explainTwin on the published Chem1 twin", () => {
  it("explains PLQY and both raw outputs through one predict call, efficiently", async () => {
    const twin = await loadTwin(resolveTwinPath("chem1"));
    const calls: number[] = [];
    const spy: Twin = Object.assign(Object.create(twin), {
      predict: (pts: readonly (readonly number[])[]) => {
        calls.push(pts.length);
        return twin.predict(pts);
      },
    });
    const ds = loadDataset(resolveDatasetDir("chem1"));
    const e = explainTwin(spy, { background: ds.X.slice(0, 6), points: ds.X.slice(10, 14) });
    expect(calls).toEqual([6 + 4 + 4 * 6 * 30]);
    const direct = twin.predict(ds.X.slice(10, 14));
    for (const [name, mean] of [
      ["PLQY", direct.plqyMean],
      ["Abs300nm", direct.absMean],
      ["PLA", direct.plaMean],
    ] as const) {
      const o = e.outputs[name];
      o.values.forEach((row, i) => {
        // Large batches may run on a float32 backend, small ones in float64: agree to float32 precision.
        expect(Math.abs(o.fx[i] - mean[i])).toBeLessThan(1e-5 * Math.abs(mean[i]));
        const sum = row.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - (o.fx[i] - o.base))).toBeLessThan(1e-9 * Math.abs(o.base));
      });
      expect([...o.ranking].sort()).toEqual(["CsOA", "CuI", "ODE", "T", "ZnI2"]);
    }
    const json = shapJson(e) as { ranking: string[]; meanAbs: Record<string, number>; direction: Record<string, number>; values: number[][] };
    expect(json.ranking).toEqual(e.outputs.PLQY.ranking);
    expect(json.values).toHaveLength(4);
    expect(Object.keys(json.meanAbs)).toHaveLength(5);
    expect(e.units).toEqual(["degC", "uL/min", "uL/min", "uL/min", "uL/min"]);
  });

  it("Kernel SHAP through the same twin matches exact SHAP when it enumerates all coalitions", async () => {
    const twin = await loadTwin(resolveTwinPath("chem1"));
    const ds = loadDataset(resolveDatasetDir("chem1"));
    const opts = { background: ds.X.slice(0, 4), points: ds.X.slice(30, 33) };
    const exact = explainTwin(twin, { ...opts, method: "exact" });
    const kern = explainTwin(twin, { ...opts, method: "kernel", kernelSamples: 64 });
    expect(kern.method).toBe("kernel");
    exact.outputs.PLQY.values.forEach((row, i) => row.forEach((v, k) => expect(kern.outputs.PLQY.values[i][k]).toBeCloseTo(v, 10)));
  });

  it("with a progress listener the twin is called in equal slices, reported in order, same values", async () => {
    const twin = await loadTwin(resolveTwinPath("chem1"));
    const ds = loadDataset(resolveDatasetDir("chem1"));
    const opts = { background: ds.X.slice(0, 17), points: ds.X.slice(20, 37) };
    const total = 17 + 17 + 17 * 17 * 30;
    expect(total).toBeGreaterThan(SHAP_SLICE_MIN); // so it is sliced
    const seen: number[] = [];
    const sliced = explainTwin(twin, { ...opts, onProgress: (done, n) => (expect(n).toBe(total), seen.push(done)) });
    expect(seen).toEqual([total / 2, total]);
    const whole = explainTwin(twin, opts);
    // The same points on the same (float32) kernels, batched differently: equal to float32 precision.
    const scale = Math.max(...whole.outputs.PLQY.values.flat().map(Math.abs));
    sliced.outputs.PLQY.values.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - whole.outputs.PLQY.values[i][k])).toBeLessThan(1e-5 * scale)));
    expect(sliced.outputs.PLA.base / whole.outputs.PLA.base).toBeCloseTo(1, 6);
  });
});
