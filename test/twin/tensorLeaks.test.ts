import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { initBackend, readyTf } from "../../src/twin/backend.js";
import { findDataRoot, resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { loadDataset } from "../../src/twin/dataset.js";
import { loadPublishedTwin } from "../../src/twin/publishedTwin.js";
import { trainEnsemble } from "../../src/twin/enn/trainEnsemble.js";
import { FAST_SCHEDULE } from "../../src/twin/enn/schedule.js";
import { CascadeEnsembleTwin } from "../../src/twin/cascadeEnsemble.js";

describe("TensorFlow.js backend and tensor hygiene", () => {
  it("initialises a backend (tfjs-node, else wasm, else cpu) and reports it", async () => {
    const info = await initBackend();
    expect(["tensorflow", "wasm", "cpu"]).toContain(info.name);
    expect(readyTf()?.tf.getBackend()).toBe(info.name);
  });

  it("training and prediction leave tf.memory().numTensors unchanged", async () => {
    await initBackend();
    const tf = readyTf()!.tf;
    const ds = loadDataset(resolveDatasetDir("chem3"));
    const start = tf.memory().numTensors;
    const r = await trainEnsemble(ds, { members: 2, seed: 1, schedule: { ...FAST_SCHEDULE, maxEpochs: 20 }, workers: 1 });
    expect(tf.memory().numTensors).toBe(start);
    const twin = new CascadeEnsembleTwin(r.spec);
    twin.mode = "tf";
    twin.predict(ds.X);
    const withWeights = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) twin.predict(ds.X.concat(ds.X));
    expect(tf.memory().numTensors).toBe(withWeights);
    twin.dispose();
    twin.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("the TensorFlow.js path agrees with the float64 JavaScript path on the published twin", async () => {
    await initBackend();
    const twin = loadPublishedTwin(join(findDataRoot(), "twins/chem1.json"));
    const pts = loadDataset(resolveDatasetDir("chem1")).X;
    twin.mode = "js";
    const a = twin.predict(pts);
    twin.mode = "tf";
    const b = twin.predict(pts);
    for (const k of ["absMean", "plaMean", "plqyMean", "plqyStd"] as const) {
      a[k].forEach((v, i) => expect(Math.abs(b[k][i] - v) / Math.abs(v)).toBeLessThan(1e-4));
    }
    expect(twin.pathFor(1000)).toBe("tf");
    twin.mode = "auto";
    expect(twin.pathFor(1)).toBe("js");
    twin.dispose();
  });
});
