import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { trainEnsemble, type TrainedEnsemble } from "../../src/twin/enn/trainEnsemble.js";
import { FAST_SCHEDULE } from "../../src/twin/enn/schedule.js";
import { CascadeEnsembleTwin } from "../../src/twin/cascadeEnsemble.js";
import { readProjectTwin, saveProjectTwin, TWIN_FORMAT, TWIN_FORMAT_VERSION, type TwinTrainingMeta } from "../../src/twin/twinFile.js";
import { loadTwin } from "../../src/twin/loadTwin.js";
import { FormatError } from "../../src/core/errors.js";

const dir = mkdtempSync(join(tmpdir(), "sdfl-twinfile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ds = loadDataset(resolveDatasetDir("chem1"));

/** The training record of a test ensemble (what `twin train` stores). */
function trainingMeta(r: TrainedEnsemble): TwinTrainingMeta {
  return {
    data: { dir: ds.dir, rows: 60, inputsSha256: ds.hashes.inputs, outputsSha256: ds.hashes.outputs },
    seed: 4,
    backend: "none",
    trainer: r.info.trainer,
    workers: 1,
    schedule: { ...r.info.schedule },
    members: 2,
    depth: r.info.depth,
    width: r.info.width,
    valFraction: 0.2,
    seconds: r.info.seconds,
    epochs: r.info.epochs,
    bestEpochs: r.info.bestEpochs,
    memberEpochs: r.info.memberEpochs,
    split: r.info.split,
  };
}

describe("project twin files", () => {
  it("save then load reproduces the predictions exactly, keeps metadata", async () => {
    const r = await trainEnsemble(ds, { members: 2, seed: 4, schedule: { ...FAST_SCHEDULE, maxEpochs: 30 }, workers: 1 });
    const file = join(dir, "t.json");
    saveProjectTwin(file, { spec: r.spec, training: trainingMeta(r), metrics: { note: "test" } });
    const raw = JSON.parse(readFileSync(file, "utf8"));
    expect(raw.format).toBe(TWIN_FORMAT);
    expect(raw.version).toBe(TWIN_FORMAT_VERSION);
    expect(raw.architecture.widths).toEqual(r.archs.map((a) => a.widths));
    const back = readProjectTwin(file);
    expect(back.training.seed).toBe(4);
    expect(back.training.data.inputsSha256).toBe(ds.hashes.inputs);
    // The file's weights are exact: a twin built from the loaded spec predicts bit for bit as before saving.
    const before = new CascadeEnsembleTwin(r.spec);
    const reloaded = new CascadeEnsembleTwin(back.spec);
    before.mode = reloaded.mode = "js";
    const a = before.predict(ds.X);
    const b = reloaded.predict(ds.X);
    expect(Array.from(b.abs)).toEqual(Array.from(a.abs));
    expect(Array.from(b.pla)).toEqual(Array.from(a.pla));
    expect(Array.from(b.plqyStd)).toEqual(Array.from(a.plqyStd));
    // The calibration travels with the file.
    expect(raw.calibration).toEqual(r.spec.calibration);
    expect(Array.from(b.plqyPredStd)).toEqual(Array.from(a.plqyPredStd));
    // loadTwin (whatever predictor it picks) agrees to float32 precision.
    const after = await loadTwin(file);
    const c = after.predict(ds.X);
    a.plqyMean.forEach((v, i) => expect(Math.abs(c.plqyMean[i] - v) / v).toBeLessThan(1e-4));
    expect(after.memberCount).toBe(2);
    after.dispose();
  });

  it("an unsupported version is a FormatError naming both versions", () => {
    const file = join(dir, "v99.json");
    writeFileSync(file, JSON.stringify({ format: TWIN_FORMAT, version: 99 }));
    expect(() => readProjectTwin(file)).toThrow(FormatError);
    expect(() => readProjectTwin(file)).toThrow(/version 99 is not supported \(this sdfl reads versions 1, 2, 3, 4 and 5\)/);
  });

  it("a version-1 file (no calibration) still loads; its predictive std is the member spread", () => {
    const v2 = JSON.parse(readFileSync(join(dir, "t.json"), "utf8"));
    const { calibration: _c, ...v1 } = { ...v2, version: 1 };
    const file = join(dir, "v1.json");
    writeFileSync(file, JSON.stringify(v1));
    const t = readProjectTwin(file);
    expect(t.version).toBe(1);
    expect(t.spec.calibration).toBeUndefined();
    const p = new CascadeEnsembleTwin(t.spec).predict(ds.X.slice(0, 3));
    expect(Array.from(p.plqyPredStd)).toEqual(Array.from(p.plqyStd));
    writeFileSync(file, JSON.stringify({ ...v2, calibration: { ...v2.calibration, plqy: { scale: "x" } } }));
    expect(() => readProjectTwin(file)).toThrow(/calibration\.plqy/);
  });

  it("a twin with flow-fraction features is written as version 3 with its transform and reloads exactly", async () => {
    const r = await trainEnsemble(ds, { members: 2, seed: 4, schedule: { ...FAST_SCHEDULE, maxEpochs: 30, features: "flow-fractions" }, workers: 1 });
    const file = join(dir, "ff.json");
    saveProjectTwin(file, { spec: r.spec, training: trainingMeta(r), metrics: {} });
    const raw = JSON.parse(readFileSync(file, "utf8"));
    expect(raw.version).toBe(3);
    expect(raw.inputTransform).toEqual(r.spec.inputTransform);
    const back = readProjectTwin(file);
    const before = new CascadeEnsembleTwin(r.spec);
    const reloaded = new CascadeEnsembleTwin(back.spec);
    before.mode = reloaded.mode = "js";
    expect(Array.from(reloaded.predict(ds.X).plqyMean)).toEqual(Array.from(before.predict(ds.X).plqyMean));
    writeFileSync(file, JSON.stringify({ ...raw, inputTransform: { ...raw.inputTransform, featureBounds: [] } }));
    expect(() => readProjectTwin(file)).toThrow(FormatError);
    expect(() => readProjectTwin(file)).toThrow(/ff\.json: "inputTransform\.featureBounds"/);
  });

  it.each([
    { version: 4, what: "an extrapolation term", slabs: { slabs: 0.17 }, field: "trainingRange" },
    { version: 5, what: "an extrapolation term growing with gaps", slabs: { slabs: 0.25, slabLayout: "blocks" as const }, field: "trainingValues" },
  ])(
    "a twin with $what is written as version $version and reloads with the same predictive std; a damaged $field is a FormatError",
    async ({ version, slabs, field }) => {
      const r = await trainEnsemble(ds, {
        members: 4,
        seed: 4,
        schedule: { ...FAST_SCHEDULE, maxEpochs: 20, split: "folds", folds: 2, ...slabs, features: "flow-fractions" },
        workers: 1,
      });
      expect(r.spec.calibration?.[field as "trainingRange" | "trainingValues"]).toHaveLength(5);
      const file = join(dir, `v${version}.json`);
      saveProjectTwin(file, { spec: r.spec, training: trainingMeta(r), metrics: {} });
      const raw = JSON.parse(readFileSync(file, "utf8"));
      expect(raw.version).toBe(version);
      const back = readProjectTwin(file);
      expect(back.spec.calibration).toEqual(r.spec.calibration);
      const before = new CascadeEnsembleTwin(r.spec);
      const reloaded = new CascadeEnsembleTwin(back.spec);
      before.mode = reloaded.mode = "js";
      // Rows beyond the training range too (an input scaled past its bounds).
      const X = [...ds.X, ...ds.X.slice(0, 3).map((x) => [x[0] - 30, ...x.slice(1)])];
      expect(Array.from(reloaded.predict(X).plqyPredStd)).toEqual(Array.from(before.predict(X).plqyPredStd));
      writeFileSync(file, JSON.stringify({ ...raw, calibration: { ...raw.calibration, [field]: [[0, 1]] } }));
      expect(() => readProjectTwin(file)).toThrow(FormatError);
      expect(() => readProjectTwin(file)).toThrow(new RegExp(`v${version}\\.json: calibration\\.${field}`));
    },
  );

  it("a broken file is a FormatError from loadTwin", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{"format": "sdfl-twin", "vers');
    await expect(loadTwin(file)).rejects.toThrow(/not valid JSON/);
  });
});
