import { worstErrorAgainstPublishedPredictions } from "./publishedPredictions.js";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.js";
import { initBackend, readyTf } from "../../src/twin/backend.js";
import { CascadeEnsembleTwin, PARALLEL_MIN_POINTS } from "../../src/twin/cascadeEnsemble.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { loadTwin } from "../../src/twin/loadTwin.js";
import { parsePublishedTwin, readJsonFile } from "../../src/twin/publishedTwin.js";
import { TfBatchedCascade } from "../../src/twin/tf/batchedCascade.js";
import { helperAvailable } from "../../src/twin/tf/helperThread.js";
import type { TwinPosterior } from "../../src/twin/twin.js";

const root = findDataRoot();
const chem1 = join(root, "twins/chem1.json");
const spec = parsePublishedTwin(readJsonFile(chem1), chem1);

function randomPoints(n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => spec.inputBounds.map(([lo, hi]) => rng.range(lo, hi)));
}

/** A twin on a ready TF.js backend (as loadTwin makes it), with or without a helper thread. */
async function tfReadyTwin(helper: "off" | "lazy" | "eager" = "off"): Promise<CascadeEnsembleTwin> {
  await initBackend();
  const twin = new CascadeEnsembleTwin(spec, { helper });
  await twin.whenHelperReady();
  return twin;
}

/** Largest |a - b| / max(|b|, floor) over the member arrays and summaries. */
function worstRelative(a: TwinPosterior, b: TwinPosterior, floor: number): number {
  let worst = 0;
  for (const k of ["abs", "pla", "plqy", "absMean", "plaMean", "plqyMean"] as const) {
    b[k].forEach((v, i) => {
      worst = Math.max(worst, Math.abs(a[k][i] - v) / Math.max(Math.abs(v), floor));
    });
  }
  return worst;
}

describe("CascadeEnsembleTwin (float64 kernels for small batches, TensorFlow.js for large ones)", () => {
  it("reports the backend it runs on, and loadTwin returns it", async () => {
    const twin = await loadTwin(chem1);
    expect(twin).toBeInstanceOf(CascadeEnsembleTwin);
    const tfTwin = twin as CascadeEnsembleTwin;
    expect(["tensorflow", "wasm", "cpu"]).toContain(tfTwin.backend);
    expect(readyTf()?.tf.getBackend()).toBe(tfTwin.backend);
    expect(tfTwin.pathFor(10_000)).toBe("tf");
    twin.dispose();
  });

  it("reproduces chem1_predictions.csv to 1e-4 relative on every column on the TF.js path", async () => {
    const twin = await tfReadyTwin();
    twin.mode = "tf";
    const { worst, rows } = worstErrorAgainstPublishedPredictions(twin);
    expect(rows).toBe(260);
    expect(worst).toBeLessThan(1e-4);
    twin.dispose();
  });

  it("agrees with the float64 JavaScript path member by member on random points", async () => {
    const twin = await tfReadyTwin();
    const pts = randomPoints(800, 7); // one 800-row pass: the piecewise formulation
    twin.mode = "js";
    const js = twin.predict(pts);
    twin.mode = "tf";
    const tf = twin.predict(pts);
    // float32 accumulation over ~370 inputs per unit; floor keeps near-zero PL areas meaningful
    expect(worstRelative(tf, js, 1e-2 * Math.max(...js.plaMean.map(Math.abs)))).toBeLessThan(1e-4);
    expect(worstRelative(tf, js, 1e-3)).toBeGreaterThan(0); // really two different paths
    twin.dispose();
  });

  it("leaves tf.memory().numTensors unchanged by prediction; dispose frees every weight", async () => {
    const twin = await tfReadyTwin();
    const tf = readyTf()!.tf;
    const start = tf.memory().numTensors;
    twin.mode = "tf";
    twin.predict(randomPoints(50, 1));
    const withWeights = tf.memory().numTensors;
    const weights = new TfBatchedCascade(tf, spec);
    const perTwin = weights.tensorCount;
    weights.dispose();
    expect(withWeights - start).toBe(perTwin);
    for (const n of [1, 33, 5000]) twin.predict(randomPoints(n, n)); // 5000 > one block
    expect(tf.memory().numTensors).toBe(withWeights);
    twin.dispose();
    twin.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("delegates small batches to JavaScript with identical results, large ones to TF.js", async () => {
    const twin = await tfReadyTwin();
    const small = randomPoints(twin.minTfPoints - 1, 3);
    const large = randomPoints(twin.minTfPoints, 4);
    const auto = [twin.predict(small), twin.predict(large)];
    expect(twin.pathFor(small.length)).toBe("js");
    expect(twin.pathFor(large.length)).toBe("tf");
    twin.mode = "js";
    expect(twin.predict(small)).toEqual(auto[0]);
    twin.mode = "tf";
    expect(twin.predict(large)).toEqual(auto[1]);
    expect(twin.predict([]).n).toBe(0);
    twin.dispose();
  });

  it("a point's prediction does not depend on its batch, the block size or the formulation (property)", async () => {
    const twin = await tfReadyTwin();
    const tf = readyTf()!.tf;
    const small = new TfBatchedCascade(tf, spec, 7, 0); // piecewise sums, blocks of 7 rows
    const big = new TfBatchedCascade(tf, spec, 4096, Infinity); // concat per layer, one block
    const unit = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 40 }), fc.nat(), (rows, pick) => {
        const n = rows.length;
        const i = pick % n;
        const z = Float64Array.from(rows.flat());
        const a = small.forward(z, n, 5);
        const b = big.forward(z, n, 5);
        const alone = big.forward(z.subarray(i * 5, i * 5 + 5), 1, 5);
        for (let k = 0; k < spec.members.length; k++) {
          for (let o = 0; o < 2; o++) {
            const ref = alone[k * 2 + o];
            const tol = 1e-5 * Math.max(1, Math.abs(ref));
            expect(Math.abs(a[(k * n + i) * 2 + o] - ref)).toBeLessThan(tol);
            expect(Math.abs(b[(k * n + i) * 2 + o] - ref)).toBeLessThan(tol);
          }
        }
      }),
      { numRuns: 15 },
    );
    small.dispose();
    big.dispose();
    twin.dispose();
    expect(() => big.forward(new Float64Array(5), 1, 5)).toThrow(/after dispose/);
  });

  // The helper runs the compiled script (dist/), which `npm test` builds first.
  it.skipIf(!helperAvailable())("splits large batches over a helper thread with the same results and no leaks there", async () => {
    const one = await tfReadyTwin();
    const two = await tfReadyTwin("eager");
    expect([one.threads, two.threads]).toEqual([1, 2]);
    const pts = randomPoints(PARALLEL_MIN_POINTS + 37, 11);
    const a = one.predict(pts);
    const b = two.predict(pts);
    expect(worstRelative(b, a, 1e-3)).toBeLessThan(1e-5);
    const helperTensors = two.helperTensors;
    expect(helperTensors).toBeGreaterThan(0); // its weights
    two.predict(randomPoints(3 * PARALLEL_MIN_POINTS, 12));
    expect(two.helperTensors).toBe(helperTensors);
    two.dispose();
    expect(two.threads).toBe(1);
    expect(worstRelative(two.predict(pts), a, 1e-3)).toBeLessThan(1e-5); // re-uploads, one thread
    two.dispose();
    one.dispose();
  });

  it.skipIf(!helperAvailable())("starts the helper only when a large batch comes, and uses it once ready", async () => {
    const twin = await tfReadyTwin("lazy");
    twin.predict(randomPoints(PARALLEL_MIN_POINTS - 1, 5));
    expect(await twin.whenHelperReady()).toBe(1); // no helper for smaller batches
    const pts = randomPoints(PARALLEL_MIN_POINTS, 6);
    const first = twin.predict(pts); // starts the helper, runs on this thread
    expect(await twin.whenHelperReady()).toBe(2);
    expect(worstRelative(twin.predict(pts), first, 1e-3)).toBeLessThan(1e-5);
    expect(twin.helperTensors).toBeGreaterThan(0); // the split really happened
    twin.dispose();
    expect(twin.threads).toBe(1);
  });
});
