import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { crossValidate } from "../../src/twin/crossValidation.js";
import { accuracyReport, setAccuracy } from "../../src/twin/accuracy.js";
import { paritySvg } from "../../src/report/svg/parityPlot.js";
import { summarizeMembers } from "../../src/twin/posterior.js";
import { DEFAULT_PLQY_REFERENCE, plqyProxy } from "../../src/twin/plqy.js";
import { FAST_SCHEDULE } from "../../src/twin/enn/schedule.js";
import type { Twin } from "../../src/twin/twin.js";

const ds = loadDataset(resolveDatasetDir("chem1"));

/** A twin that returns the measured features of each dataset row exactly (plus a fixed offset on member 2). */
function oracleTwin(offset: number): Twin {
  const key = (x: readonly number[]) => x.join(",");
  const index = new Map(ds.X.map((x, i) => [key(x), i]));
  return {
    inputs: ["T", "CuI", "ZnI2", "CsOA", "ODE"],
    inputBounds: [
      [120, 180],
      [80, 120],
      [80, 120],
      [20, 80],
      [220, 280],
    ],
    memberCount: 2,
    plqyReference: DEFAULT_PLQY_REFERENCE,
    source: "oracle",
    predict(points) {
      const n = points.length;
      const abs = new Float64Array(2 * n),
        pla = new Float64Array(2 * n);
      points.forEach((p, i) => {
        const r = index.get(key(p))!;
        abs[i] = abs[n + i] = ds.abs[r];
        pla[i] = ds.pla[r];
        pla[n + i] = ds.pla[r] + offset;
      });
      return summarizeMembers(abs, pla, n, 2, DEFAULT_PLQY_REFERENCE);
    },
    dispose() {},
  };
}

describe("accuracy report", () => {
  it("a perfect twin has R^2 = 1 on every output and every set", () => {
    const rep = accuracyReport(oracleTwin(0), ds, { train: [0, 1, 2, 3, 4, 5], validation: [6, 7, 8, 9] });
    for (const set of [rep.train!, rep.validation!, rep.all]) {
      expect(set.abs_r2).toBe(1);
      expect(set.pla_r2).toBe(1);
      expect(set.plqy_r2).toBeCloseTo(1, 12);
    }
    expect(rep.train!.n).toBe(6);
    expect(rep.all.n).toBe(60);
  });

  it("R^2 and calibration follow from the posterior by hand", () => {
    const offset = 20000;
    const rows = [0, 1, 2, 3, 4];
    const p = oracleTwin(offset).predict(rows.map((r) => ds.X[r]));
    const acc = setAccuracy(ds, p, rows);
    // PLA mean is measured + offset/2: SS_res = n (offset/2)^2.
    const y = rows.map((r) => ds.pla[r]);
    const mean = y.reduce((a, b) => a + b) / y.length;
    const ssTot = y.reduce((s, v) => s + (v - mean) ** 2, 0);
    expect(acc.pla_r2).toBeCloseTo(1 - (5 * (offset / 2) ** 2) / ssTot, 10);
    // Each measured PLQY is member 1's value exactly: |y - mean| = std / sqrt(2) < 1 std.
    expect(acc.calibration.within1Std).toBe(1);
    expect(p.plqy[0]).toBeCloseTo(plqyProxy(ds.abs[0], ds.pla[0]), 15);
  });

  it("k-fold cross-validation predicts every row out of fold", async () => {
    const cv = await crossValidate(ds, 3, { members: 2, seed: 1, schedule: { ...FAST_SCHEDULE, maxEpochs: 40 }, workers: 1 });
    expect(cv.folds).toBe(3);
    expect(cv.foldPlqyR2).toHaveLength(3);
    expect(cv.calibration.n).toBe(60);
    expect(Number.isFinite(cv.plqy_r2)).toBe(true);
    await expect(crossValidate(ds, 1)).rejects.toThrow(/folds must be an integer from 2 to 60/);
  });

  it("file-order folds of the temperature-sorted rows: the edge folds' rows lie outside their training rows (e > 0)", async () => {
    const cv = await crossValidate(ds, 3, { members: 2, seed: 1, schedule: { ...FAST_SCHEDULE, maxEpochs: 5 }, workers: 1 }, undefined, "file");
    cv.oof.e2.forEach((e2, r) => {
      expect(e2).toBeGreaterThanOrEqual(0);
      // Rows 0-19 are colder and 40-59 hotter than every row their ensemble trained on.
      if (cv.oof.fold[r] !== 1) expect(e2).toBeGreaterThan(0);
    });
  });

  it("parity plot: one point and one error bar per row, per group", async () => {
    const svg = await paritySvg(
      [
        { name: "train", measured: [0.1, 0.2, 0.3], predicted: [0.11, 0.19, 0.31], std: [0.01, 0.02, 0.01] },
        { name: "validation", measured: [0.15], predicted: [0.14], std: [0.02] },
      ],
      { title: "t", label: "PLQY proxy" },
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<g class="group-0">/g)).toHaveLength(1);
    expect((svg.match(/<circle/g) ?? []).length).toBe(4 + 2); // points + legend dots
    expect(svg).toMatch(/validation \(n = 1\)/);
  });
});
