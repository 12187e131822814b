import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadPublishedTwin, parsePublishedTwin } from "../../src/twin/publishedTwin.js";
import { worstErrorAgainstPublishedPredictions } from "./publishedPredictions.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { FormatError } from "../../src/core/errors.js";

describe("published twin format", () => {
  const root = findDataRoot();
  it("reproduces chem1_predictions.csv to 1e-4 relative on every column on the float64 path", () => {
    const twin = loadPublishedTwin(join(root, "twins/chem1.json"));
    twin.mode = "js"; // the float64 path; the TF.js path: cascadeEnsembleTwin.test.ts
    const { worst, rows } = worstErrorAgainstPublishedPredictions(twin);
    expect(rows).toBe(260);
    expect(worst).toBeLessThan(1e-4);
  });
  it("rejects a member whose layer shapes do not chain", () => {
    const bad = {
      inputs: ["T"],
      inputBounds: [[0, 1]],
      outputs: ["Abs300nm", "PLA"],
      outputScaling: { min: [0, 0], max: [1, 1] },
      members: [0, 1].map(() => ({
        type: "cascade",
        hidden: [{ weight: [[1, 2]], bias: [0] }],
        output: {
          weight: [
            [1, 1],
            [1, 1],
          ],
          bias: [0, 0],
        },
      })),
    };
    expect(() => parsePublishedTwin(bad, "bad.json")).toThrow(FormatError);
    expect(() => parsePublishedTwin(bad, "bad.json")).toThrow(/member 0: hidden layer 1: weight\[0\] has 2 columns, expected 1/);
  });
});
