import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseProblem } from "../../../src/bo/problem/parseProblem.js";
import { Rng } from "../../../src/core/rng.js";
import { paramLayout, toCascadeMember } from "../../../src/twin/enn/arch.js";
import { ProblemTwin } from "../../../src/twin/generic/problemTwin.js";
import { readProblemTwin, saveProblemTwin } from "../../../src/twin/generic/problemTwinFile.js";
import { JsCascadePredictor } from "../../../src/twin/jsPredictor.js";

const dir = mkdtempSync(join(tmpdir(), "sdfl-ptwin-prop-"));

/** A random valid problem twin: d inputs, two outcomes a and b, objective "a - 0.5 * b + x0" (uses an input too). */
function randomTwin(d: number, members: number, widths: number[], seed: number): ProblemTwin {
  const rng = new Rng(seed);
  const inputs = Array.from({ length: d }, (_, j) => {
    const lo = rng.range(-10, 10);
    return { name: `x${j}`, unit: "u", bounds: [lo, lo + rng.range(0.5, 20)] as [number, number] };
  });
  const problem = parseProblem({
    name: "random",
    inputs,
    outcomes: [
      { name: "a", unit: "" },
      { name: "b", unit: "" },
    ],
    objective: { name: "f", formula: "a - 0.5 * b + x0", goal: "minimize" },
  });
  const layout = paramLayout({ d, widths, nOut: 1 });
  const outcome = (name: string) => ({
    name,
    unit: "",
    scaling: { min: rng.range(-5, 0), max: rng.range(1, 5) },
    members: Array.from({ length: members }, () =>
      toCascadeMember(
        layout,
        Array.from({ length: layout.size }, () => rng.range(-1, 1)),
      ),
    ),
    calibration: { scale: rng.range(0.5, 3), noiseVar: rng.range(0, 0.1) },
  });
  return new ProblemTwin({
    problem,
    source: "random",
    inputs: inputs.map((i) => i.name),
    inputBounds: inputs.map((i) => i.bounds),
    outcomes: [outcome("a"), outcome("b")],
    objectiveCalibration: { scale: 1.5, noiseVar: 0.01 },
  });
}

const cases = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  members: fc.integer({ min: 2, max: 4 }),
  widths: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 0, maxLength: 3 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
  n: fc.integer({ min: 1, max: 70 }),
});

describe("problem twin invariants (property)", () => {
  it("member k's objective is the formula of member k's outcomes; single-output kernels agree (SIMD vs JavaScript); save/load is exact", () => {
    fc.assert(
      fc.property(cases, ({ d, members, widths, seed, n }) => {
        const twin = randomTwin(d, members, widths, seed);
        const rng = new Rng(seed + 1);
        const pts = Array.from({ length: n }, () => twin.inputBounds.map(([lo, hi]) => rng.range(lo, hi)));
        const p = twin.predict(pts);
        for (let k = 0; k < members; k++)
          for (let i = 0; i < n; i++) {
            const j = k * n + i;
            expect(p.objective.members[j]).toBeCloseTo(p.outcomes.a.members[j] - 0.5 * p.outcomes.b.members[j] + pts[i][0], 9);
          }
        for (let i = 0; i < n; i++) expect(p.objective.predStd[i]).toBeCloseTo(Math.sqrt(1.5 * p.objective.std[i] ** 2 + 0.01), 12);
        // The same single-output members on the plain JavaScript kernels.
        const spec = { inputs: [...twin.inputs], members: twin.spec.outcomes[0].members };
        const z = new Float64Array(pts.flatMap((x) => x.map((v, j) => (v - twin.inputBounds[j][0]) / (twin.inputBounds[j][1] - twin.inputBounds[j][0]))));
        const simd = new JsCascadePredictor(spec).forward(z, n, d);
        const js = new JsCascadePredictor(spec, { SDFL_TRAIN_KERNELS: "js" }).forward(z, n, d);
        expect(simd).toHaveLength(members * n);
        simd.forEach((v, t) => expect(v).toBeCloseTo(js[t], 10));
        // A saved twin predicts exactly as the one in memory.
        const file = join(dir, `t${seed}.json`);
        const meta = {
          data: { file: "x", rows: 0, sha256: "0", columns: {} },
          seed: 0,
          members,
          schedule: {},
          depth: [0, 0] as [number, number],
          width: [0, 0] as [number, number],
          trainer: "",
          workers: 1,
          seconds: 0,
          epochs: {},
          calibrationRows: 0,
        };
        saveProblemTwin(file, twin, meta, {});
        const back = readProblemTwin(file).twin.predict(pts);
        expect(Array.from(back.objective.members)).toEqual(Array.from(p.objective.members));
        expect(Array.from(back.outcomes.b.predStd)).toEqual(Array.from(p.outcomes.b.predStd));
      }),
      { numRuns: 12, seed: 21 },
    );
  });
});
