import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { slabMemberCount, trainEnsemble } from "../../src/twin/enn/trainEnsemble.js";
import { extrapolationSq, gapSq } from "../../src/twin/extrapolation.js";
import { trainMember, type TrainData } from "../../src/twin/enn/memberTrainer.js";
import { paramLayout } from "../../src/twin/enn/arch.js";
import { memberForward, summedMse } from "../../src/twin/enn/kernels.js";
import {
  REFERENCE_SCHEDULE,
  FAST_SCHEDULE,
  CROSSFIT_SCHEDULE,
  DEFAULT_SCHEDULE,
  ORIGINAL_SCHEDULE,
  REGULARIZED_SCHEDULE,
  FRACTIONS_SCHEDULE,
  scheduleByName,
} from "../../src/twin/enn/schedule.js";
import { CascadeEnsembleTwin, networkInputs } from "../../src/twin/cascadeEnsemble.js";
import { UsageError } from "../../src/core/errors.js";

const ds = loadDataset(resolveDatasetDir("chem3"));
const quick = { ...FAST_SCHEDULE, maxEpochs: 60, patience: 20 };

describe("ENN training", () => {
  it("is deterministic under a seed and differs between seeds", async () => {
    const a = await trainEnsemble(ds, { members: 3, seed: 7, schedule: quick, workers: 1 });
    const b = await trainEnsemble(ds, { members: 3, seed: 7, schedule: quick, workers: 1 });
    const c = await trainEnsemble(ds, { members: 3, seed: 8, schedule: quick, workers: 1 });
    expect(a.params.map((p) => Array.from(p))).toEqual(b.params.map((p) => Array.from(p)));
    expect(a.info.split).toEqual(b.info.split);
    expect(Array.from(c.params[0])).not.toEqual(Array.from(a.params[0]));
  });

  it("draws depth 8-10 and width 20-40 per layer, splits 80/20 without overlap", async () => {
    const r = await trainEnsemble(ds, { members: 6, seed: 1, schedule: { ...quick, maxEpochs: 2 }, workers: 1 });
    for (const a of r.archs) {
      expect(a.widths.length).toBeGreaterThanOrEqual(8);
      expect(a.widths.length).toBeLessThanOrEqual(10);
      for (const w of a.widths) {
        expect(w).toBeGreaterThanOrEqual(20);
        expect(w).toBeLessThanOrEqual(40);
      }
    }
    const { train, validation } = r.info.split;
    expect(validation).toHaveLength(12);
    expect(new Set([...train, ...validation]).size).toBe(60);
  });

  it("returns a copy of the best weights, not the last ones", () => {
    const L = paramLayout({ d: 5, widths: [20, 20, 20], nOut: 2 });
    const rows = ds.X.map((x) => x.map((v, j) => (v - [120, 80, 80, 20, 220][j]) / [60, 40, 40, 60, 60][j]));
    const amin = Math.min(...ds.abs),
      amax = Math.max(...ds.abs),
      pmin = Math.min(...ds.pla),
      pmax = Math.max(...ds.pla);
    const Y = ds.abs.flatMap((a, i) => [(a - amin) / (amax - amin), (ds.pla[i] - pmin) / (pmax - pmin)]);
    const data: TrainData = {
      d: 5,
      nOut: 2,
      nTrain: 48,
      nVal: 12,
      trainZ: Float64Array.from(rows.slice(0, 48).flat()),
      trainY: Float64Array.from(Y.slice(0, 96)),
      valZ: Float64Array.from(rows.slice(48).flat()),
      valY: Float64Array.from(Y.slice(96)),
    };
    // A large learning rate makes the validation loss bounce, so the last epoch is not the best.
    const r = trainMember({ arch: L.arch, seed: 3 }, data, { ...FAST_SCHEDULE, learningRate: 0.03, patience: 15, maxEpochs: 200 });
    expect(r.epochs).toBeGreaterThan(r.bestEpoch);
    const C = new Float64Array(12 * L.total);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 5; j++) C[i * L.total + j] = data.valZ[i * 5 + j];
    const out = new Float64Array(24);
    memberForward(L, r.params, C, 12, out);
    expect(summedMse(out, data.valY, 12, 2)).toBeCloseTo(r.bestValLoss, 12);
  });

  it("keep 'last' returns the weights of the last epoch, not the best copy", () => {
    const L = paramLayout({ d: 5, widths: [20, 20], nOut: 2 });
    const Z = Float64Array.from(ds.X.flatMap((x) => x.map((v, j) => (v - [120, 80, 80, 20, 220][j]) / [60, 40, 40, 60, 60][j])));
    const amax = Math.max(...ds.abs),
      pmax = Math.max(...ds.pla);
    const Y = Float64Array.from(ds.abs.flatMap((a, i) => [a / amax, ds.pla[i] / pmax]));
    const data: TrainData = { d: 5, nOut: 2, nTrain: 48, nVal: 12, trainZ: Z.slice(0, 240), trainY: Y.slice(0, 96), valZ: Z.slice(240), valY: Y.slice(96) };
    const s = { ...FAST_SCHEDULE, learningRate: 0.03, patience: 15, maxEpochs: 200 };
    const best = trainMember({ arch: L.arch, seed: 3 }, data, s);
    const last = trainMember({ arch: L.arch, seed: 3 }, data, { ...s, keep: "last" });
    expect(last.epochs).toBe(best.epochs);
    expect(last.epochs).toBeGreaterThan(last.bestEpoch);
    const C = new Float64Array(12 * L.total);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 5; j++) C[i * L.total + j] = data.valZ[i * 5 + j];
    const out = new Float64Array(24);
    memberForward(L, last.params, C, 12, out);
    expect(summedMse(out, data.valY, 12, 2)).toBeGreaterThan(last.bestValLoss + s.minDelta);
  });

  it("split modes: per-member splits and bootstraps cover every row; out-of-bag rows feed the calibration", async () => {
    const tiny = { ...quick, maxEpochs: 5 };
    const shared = await trainEnsemble(ds, { members: 4, seed: 1, schedule: tiny, workers: 1 });
    expect(shared.info.heldOut.every((h) => JSON.stringify(h) === JSON.stringify(shared.info.split.validation))).toBe(true);
    const member = await trainEnsemble(ds, { members: 6, seed: 1, schedule: { ...tiny, split: "member" }, workers: 1 });
    expect(new Set(member.info.heldOut.map((h) => JSON.stringify(h))).size).toBe(6);
    member.info.heldOut.forEach((h) => expect(h).toHaveLength(12));
    const boot = await trainEnsemble(ds, { members: 6, seed: 1, schedule: { ...tiny, split: "bootstrap" }, workers: 1 });
    // About 1/e of the rows are out of bag.
    boot.info.heldOut.forEach((h) => expect(h.length).toBeGreaterThan(10) && expect(h.length).toBeLessThan(35));
    for (const r of [shared, member, boot]) {
      const c = r.spec.calibration!;
      expect(c.method).toBe("out-of-bag");
      for (const m of [c.abs, c.pla, c.plqy]) expect(m.scale >= 0 && m.noiseVar >= 0).toBe(true);
    }
    // Cross-fitting: each row is out of bag for exactly members / folds members; nothing is a shared validation set.
    const cross = await trainEnsemble(ds, { members: 10, seed: 1, schedule: { ...CROSSFIT_SCHEDULE, maxEpochs: 5 }, workers: 1 });
    const outOfBag = new Array(60).fill(0);
    cross.info.heldOut.forEach((h) => h.forEach((i) => outOfBag[i]++));
    expect(outOfBag.every((c) => c === 1)).toBe(true);
    expect(cross.info.split.validation).toEqual([]);
    const none = await trainEnsemble(ds, { members: 2, seed: 1, schedule: { ...tiny, split: "none" }, workers: 1 });
    expect(none.info.heldOut).toEqual([[], []]);
    expect(none.spec.calibration).toBeUndefined();
    // Same member rows whatever the worker count.
    const two = await trainEnsemble(ds, { members: 6, seed: 1, schedule: { ...tiny, split: "member" }, workers: 2 });
    expect(two.params.map((p) => Array.from(p))).toEqual(member.params.map((p) => Array.from(p)));
  });

  it("bands: the first members hold out contiguous temperature bands, the others random folds; inputNoise changes training deterministically", async () => {
    const s = { ...REGULARIZED_SCHEDULE, maxEpochs: 3, patience: 3, folds: 5, bands: 0.5 };
    const r = await trainEnsemble(ds, { members: 10, seed: 2, schedule: s, workers: 1 });
    const T = (rows: number[]) => rows.map((i) => ds.X[i][0]);
    const isBand = (held: number[]) => {
      const inBag = [...Array(ds.X.length).keys()].filter((i) => !held.includes(i));
      const [lo, hi] = [Math.min(...T(held)), Math.max(...T(held))];
      return T(inBag).every((t) => t <= lo || t >= hi);
    };
    r.info.heldOut.forEach((held, k) => {
      expect(held.length).toBe(12);
      expect(isBand(held)).toBe(k < 5);
    });
    // Smoothed calibration variances only with band members: a stable split (the ENN
    // surrogate's) trains none, so its calibration stays the plain out-of-bag fit.
    expect(r.spec.calibration!.method).toBe("out-of-bag");
    const smooth = { ...s, calibrationVariance: "smoothed" as const };
    const sm = await trainEnsemble(ds, { members: 10, seed: 2, schedule: smooth, workers: 1 });
    expect(sm.spec.calibration!.method).toBe("out-of-bag (smoothed member variances)");
    const stable = await trainEnsemble(ds, { members: 10, seed: 2, schedule: smooth, workers: 1, stableSplit: true });
    expect(stable.spec.calibration!.method).toBe("out-of-bag");
    const noisy = { ...s, bands: 0, inputNoise: 0.05 };
    const a = await trainEnsemble(ds, { members: 2, seed: 2, schedule: noisy, workers: 1 });
    const b = await trainEnsemble(ds, { members: 2, seed: 2, schedule: noisy, workers: 1 });
    const c = await trainEnsemble(ds, { members: 2, seed: 2, schedule: { ...noisy, inputNoise: 0 }, workers: 1 });
    expect(Array.from(a.params[0])).toEqual(Array.from(b.params[0]));
    expect(Array.from(a.params[0])).not.toEqual(Array.from(c.params[0]));
  });

  it("slabs: 2 d calibration-only members hold out the ends of each network input; the ensemble is the same as without them", async () => {
    const s = { ...FRACTIONS_SCHEDULE, maxEpochs: 5, patience: 5, folds: 5 };
    const rows = { X: ds.X.slice(0, 48), abs: ds.abs.slice(0, 48), pla: ds.pla.slice(0, 48) };
    const plain = await trainEnsemble(rows, { members: 10, seed: 3, schedule: s, workers: 1 });
    const r = await trainEnsemble(rows, { members: 10, seed: 3, schedule: { ...s, slabs: 0.17 }, workers: 1 });
    expect(slabMemberCount({ ...s, slabs: 0.17 }, 48, 5)).toBe(10);
    expect(r.params.map((p) => Array.from(p))).toEqual(plain.params.map((p) => Array.from(p)));
    expect(r.spec.members).toHaveLength(10);
    const z = networkInputs(r.spec, rows.X);
    r.slabs!.heldOut.forEach((held, k) => {
      const j = Math.floor(k / 2);
      expect(held).toHaveLength(Math.round(0.17 * 48));
      const inBag = [...Array(48).keys()].filter((i) => !held.includes(i));
      const v = (i: number) => z[i * 5 + j];
      // Low end (even k) or high end (odd k) of input j: no in-bag row beyond the slab.
      if (k % 2 === 0) expect(Math.max(...held.map(v))).toBeLessThanOrEqual(Math.min(...inBag.map(v)));
      else expect(Math.min(...held.map(v))).toBeGreaterThanOrEqual(Math.max(...inBag.map(v)));
    });
    const c = r.spec.calibration!;
    expect(c.trainingRange).toHaveLength(5);
    for (const o of ["abs", "pla", "plqy"] as const) {
      expect(c[o].extrapolation).toBeGreaterThanOrEqual(0);
      expect({ ...c[o], extrapolation: undefined }).toEqual({ ...plain.spec.calibration![o], extrapolation: undefined });
    }
    // Inside the data the predictive std is the plain one; outside it grows with the factor.
    const twin = new CascadeEnsembleTwin(r.spec);
    const base = new CascadeEnsembleTwin(plain.spec);
    twin.mode = base.mode = "js";
    expect(Array.from(twin.predict(rows.X).plqyPredStd)).toEqual(Array.from(base.predict(rows.X).plqyPredStd));
    const hot = ds.X.slice(55);
    expect(extrapolationSq(c.trainingRange!, networkInputs(r.spec, hot), 4)).toBeGreaterThan(0);
    const a = twin.predict(hot).plqyPredStd;
    const b = base.predict(hot).plqyPredStd;
    a.forEach((v, i) =>
      expect(v).toBeCloseTo(b[i] * Math.sqrt(1 + c.plqy.extrapolation! * extrapolationSq(c.trainingRange!, networkInputs(r.spec, hot), i)), 12),
    );
    // Warm starts train none.
    const warm = await trainEnsemble(rows, { members: 10, seed: 3, schedule: { ...s, slabs: 0.17 }, workers: 1, init: r.params });
    expect(warm.slabs).toBeUndefined();
  });

  it("block slabs: round(1 / h) members per network input hold out contiguous blocks covering every row once; the variance grows with gaps", async () => {
    const s = { ...FRACTIONS_SCHEDULE, maxEpochs: 5, patience: 5, folds: 5 };
    const rows = { X: ds.X.slice(0, 48), abs: ds.abs.slice(0, 48), pla: ds.pla.slice(0, 48) };
    const blocks = { ...s, slabs: 0.25, slabLayout: "blocks" as const };
    expect(slabMemberCount(blocks, 48, 5)).toBe(20);
    expect(slabMemberCount(blocks, 3, 5)).toBe(0);
    const plain = await trainEnsemble(rows, { members: 10, seed: 3, schedule: s, workers: 1 });
    const r = await trainEnsemble(rows, { members: 10, seed: 3, schedule: blocks, workers: 1 });
    expect(r.params.map((p) => Array.from(p))).toEqual(plain.params.map((p) => Array.from(p)));
    const z = networkInputs(r.spec, rows.X);
    const held = r.slabs!.heldOut;
    expect(held).toHaveLength(20);
    for (let j = 0; j < 5; j++) {
      const mine = held.slice(4 * j, 4 * j + 4);
      // Together the blocks of input j hold out every row exactly once, 12 each ...
      expect(mine.flat().sort((a, b) => a - b)).toEqual([...Array(48).keys()]);
      mine.forEach((b) => expect(b).toHaveLength(12));
      // ... in increasing order of input j (ties aside).
      for (let b = 1; b < 4; b++)
        expect(Math.min(...mine[b].map((i) => z[i * 5 + j]))).toBeGreaterThanOrEqual(Math.max(...mine[b - 1].map((i) => z[i * 5 + j])));
    }
    const c = r.spec.calibration!;
    expect(c.method).toMatch(/gaps, block slabs/);
    expect(c.trainingValues!.map((v) => v.length)).toEqual(c.trainingRange!.map((_, j) => new Set(rows.X.map((_, i) => z[i * 5 + j])).size));
    // At the training rows the gap is 0: the plain predictive std.
    const twin = new CascadeEnsembleTwin(r.spec);
    const base = new CascadeEnsembleTwin(plain.spec);
    twin.mode = base.mode = "js";
    expect(Array.from(twin.predict(rows.X).plqyPredStd)).toEqual(Array.from(base.predict(rows.X).plqyPredStd));
    const other = ds.X.slice(48);
    const zo = networkInputs(r.spec, other);
    const a = twin.predict(other).plqyPredStd;
    const b = base.predict(other).plqyPredStd;
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i] * Math.sqrt(1 + (c.plqy.extrapolation ?? 0) * gapSq(c.trainingRange!, c.trainingValues!, zo, i)), 12));
  });

  it("the calibrated predictive std is sqrt(scale * member variance + noise + relVar * mean^2) per output", async () => {
    const r = await trainEnsemble(ds, { members: 4, seed: 2, schedule: { ...quick, split: "member" }, workers: 1 });
    const twin = new CascadeEnsembleTwin(r.spec);
    const p = twin.predict(ds.X.slice(0, 5));
    const c = r.spec.calibration!;
    for (let i = 0; i < 5; i++) {
      const rel = (m: { relVar?: number }, mean: number) => (m.relVar ?? 0) * mean * mean;
      expect(p.plqyPredStd[i]).toBeCloseTo(Math.sqrt(c.plqy.scale * p.plqyStd[i] ** 2 + c.plqy.noiseVar + rel(c.plqy, p.plqyMean[i])), 14);
      expect(p.absPredStd[i]).toBeCloseTo(Math.sqrt(c.abs.scale * p.absStd[i] ** 2 + c.abs.noiseVar + rel(c.abs, p.absMean[i])), 14);
    }
  });

  it("learns: validation PLQY R^2 of a small quick ensemble is high", async () => {
    const r = await trainEnsemble(ds, { members: 3, seed: 2, schedule: { ...FAST_SCHEDULE, maxEpochs: 300 }, workers: 1 });
    const twin = new CascadeEnsembleTwin(r.spec);
    const v = r.info.split.validation;
    const p = twin.predict(v.map((i) => ds.X[i]));
    const y = v.map((i) => ds.plqy[i]);
    const mean = y.reduce((a, b) => a + b) / y.length;
    const ssRes = y.reduce((s, t, i) => s + (t - p.plqyMean[i]) ** 2, 0);
    const ssTot = y.reduce((s, t) => s + (t - mean) ** 2, 0);
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.85);
  });

  it("named schedules: reference holds the original settings; unknown names are usage errors", () => {
    expect(REFERENCE_SCHEDULE).toMatchObject({ learningRate: 1e-3, batchSize: 16, patience: 100, minDelta: 1e-4, maxEpochs: 3000 });
    expect(scheduleByName("fast", { patience: 7 }).patience).toBe(7);
    expect(ORIGINAL_SCHEDULE).toMatchObject({ ...REFERENCE_SCHEDULE, name: "original", keep: "last" });
    expect(DEFAULT_SCHEDULE).toBe(FRACTIONS_SCHEDULE);
    expect(FRACTIONS_SCHEDULE).toMatchObject({ split: "folds", keep: "last", depth: [3, 5], features: "flow-fractions" });
    expect(FRACTIONS_SCHEDULE.patience).toBe(FRACTIONS_SCHEDULE.maxEpochs);
    expect(CROSSFIT_SCHEDULE).toMatchObject({ split: "folds", keep: "last", maxEpochs: 200, batchSize: 0 });
    expect(REGULARIZED_SCHEDULE).toMatchObject({ ...CROSSFIT_SCHEDULE, name: "regularized", weightDecay: 1, depth: [3, 5] });
    expect(() => scheduleByName("slow")).toThrow(UsageError);
  });
});
