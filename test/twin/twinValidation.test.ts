import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.js";
import { FormatError } from "../../src/core/errors.js";
import { initBackend } from "../../src/twin/backend.js";
import { CascadeEnsembleTwin, TF_MIN_POINTS, type CascadeEnsembleSpec } from "../../src/twin/cascadeEnsemble.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { loadTwin } from "../../src/twin/loadTwin.js";
import { loadPublishedTwin, parsePublishedTwin, readJsonFile } from "../../src/twin/publishedTwin.js";
import { toCascadeMember, paramLayout } from "../../src/twin/enn/arch.js";
import type { TwinPosterior } from "../../src/twin/twin.js";

const chem1File = join(findDataRoot(), "twins/chem1.json");
const dir = mkdtempSync(join(tmpdir(), "sdfl-twin-validation-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** chem1 cut to its first three members (fast), as parsed JSON to damage. */
function smallChem1(): Record<string, unknown> & { members: Record<string, unknown>[] } {
  const j = readJsonFile(chem1File) as Record<string, unknown> & { members: Record<string, unknown>[] };
  return { ...j, members: j.members.slice(0, 3) };
}

type Damage = [name: string, damage: (j: ReturnType<typeof smallChem1>) => void, message: RegExp];
/* eslint-disable @typescript-eslint/no-explicit-any -- damaging untyped JSON on purpose */
const DAMAGES: Damage[] = [
  ["weight as the string NaN", (j: any) => (j.members[1].hidden[0].weight[2][3] = "NaN"), /member 1: hidden layer 1: weight\[2\]\[3\] = "NaN" \(a string\)/],
  ["weight null", (j: any) => (j.members[0].hidden[1].weight[0][0] = null), /member 0: hidden layer 2: weight\[0\]\[0\] = null/],
  ["weight 1e308", (j: any) => (j.members[2].hidden[0].weight[0][1] = 1e308), /member 2: hidden layer 1: weight\[0\]\[1\] = 1e\+308/],
  ["output weight abc", (j: any) => (j.members[0].output.weight[1][4] = "abc"), /member 0: output layer: weight\[1\]\[4\] = "abc"/],
  ["output weight [1,2]", (j: any) => (j.members[0].output.weight[0][0] = [1, 2]), /member 0: output layer: weight\[0\]\[0\] = a list of 2/],
  ["bias string", (j: any) => (j.members[1].output.bias[1] = "0.5"), /member 1: output layer: bias\[1\] = "0.5"/],
  ["member without output", (j: any) => delete j.members[1].output, /member 1: has no "output" layer/],
  ["member without hidden", (j: any) => delete j.members[0].hidden, /member 0: has no "hidden"/],
  ["ragged weight row", (j: any) => j.members[0].hidden[0].weight[1].pop(), /member 0: hidden layer 1: weight\[1\] has 4 columns, expected 5/],
  ["scaling max = min", (j: any) => (j.outputScaling.max[1] = j.outputScaling.min[1]), /outputScaling" of PLA has max .* <= min/],
  ["scaling as string", (j: any) => (j.outputScaling.min[0] = "0.3"), /outputScaling\.min\[0\] = "0\.3" \(a string\)/],
  ["input bound null", (j: any) => (j.inputBounds[2][1] = null), /inputBounds\[2\]\[1\] = null/],
  ["one member", (j: any) => (j.members = j.members.slice(0, 1)), /has 1 member; at least 2 are needed/],
  ["member null", (j: any) => (j.members[2] = null), /member 2: is null/],
];
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Largest |a - b| / max(|b|, 1 % of the largest |b| of that quantity) over every member value and summary. */
function worstRelative(a: TwinPosterior, b: TwinPosterior): number {
  let worst = 0;
  for (const k of ["abs", "pla", "plqy", "absMean", "plaMean", "plqyMean", "plqyStd"] as const) {
    const floor = Math.max(1e-9, 0.01 * Math.max(...b[k].map(Math.abs)));
    b[k].forEach((v, i) => (worst = Math.max(worst, Math.abs(a[k][i] - v) / Math.max(Math.abs(v), floor))));
  }
  return worst;
}

function points(spec: CascadeEnsembleSpec, n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => spec.inputBounds.map(([lo, hi]) => rng.range(lo, hi)));
}

/**
 * Predict the same points below {@link TF_MIN_POINTS} (float64 kernels) and within a
 * batch of TF_MIN_POINTS (TF.js, "auto" mode as the CLI runs it); returns the worst
 * relative disagreement on the shared points.
 */
function pathDisagreement(spec: CascadeEnsembleSpec, seed: number): number {
  const twin = new CascadeEnsembleTwin(spec);
  try {
    const big = points(spec, TF_MIN_POINTS, seed);
    expect(twin.pathFor(big.length)).toBe("tf");
    expect(twin.pathFor(TF_MIN_POINTS - 1)).toBe("js");
    const viaTf = twin.predict(big);
    const small = big.slice(0, 10);
    const viaJs = twin.predict(small);
    const cut = (p: TwinPosterior): TwinPosterior => {
      const n = p.n;
      const member = (a: Float64Array) => Float64Array.from({ length: p.m * 10 }, (_, j) => a[Math.floor(j / 10) * n + (j % 10)]);
      return {
        ...p,
        n: 10,
        abs: member(p.abs),
        pla: member(p.pla),
        plqy: member(p.plqy),
        absMean: p.absMean.slice(0, 10),
        plaMean: p.plaMean.slice(0, 10),
        plqyMean: p.plqyMean.slice(0, 10),
        plqyStd: p.plqyStd.slice(0, 10),
        absStd: p.absStd.slice(0, 10),
        plaStd: p.plaStd.slice(0, 10),
      };
    };
    for (const p of [viaJs, viaTf]) for (const v of [...p.plqyMean, ...p.plqyStd]) expect(Number.isFinite(v)).toBe(true);
    return worstRelative(cut(viaTf), viaJs);
  } finally {
    twin.dispose();
  }
}

describe("twin files are validated completely when loaded", () => {
  for (const [name, damage, message] of DAMAGES) {
    it(`refuses ${name}, naming file, member, layer, index and value, on both prediction paths`, async () => {
      const j = smallChem1();
      damage(j);
      const file = join(dir, `${name.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, JSON.stringify(j));
      // The float64 path's loader and the loader the CLI uses (TF.js for >= 64 points).
      expect(() => loadPublishedTwin(file)).toThrow(FormatError);
      expect(() => loadPublishedTwin(file)).toThrow(message);
      await expect(loadTwin(file)).rejects.toThrow(message);
      await expect(loadTwin(file)).rejects.toThrow(file);
    });
  }

  it("the undamaged small twin loads", () => {
    expect(() => parsePublishedTwin(smallChem1(), "small.json")).not.toThrow();
  });
});

describe("both prediction paths agree on every twin the tests use", () => {
  it("published chem1 and its three-member cut: below and from TF_MIN_POINTS points, to float32 precision", async () => {
    await initBackend();
    for (const json of [readJsonFile(chem1File), smallChem1()]) {
      const spec = parsePublishedTwin(json, "chem1");
      expect(pathDisagreement(spec, 5)).toBeLessThan(1e-4);
    }
  });

  it("random valid cascade ensembles (property): the two paths agree", async () => {
    await initBackend();
    const arch = fc.record({
      members: fc.integer({ min: 2, max: 4 }),
      widths: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 3 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
    });
    fc.assert(
      fc.property(arch, ({ members, widths, seed }) => {
        const rng = new Rng(seed);
        const layout = paramLayout({ d: 5, widths, nOut: 2 });
        const spec: CascadeEnsembleSpec = {
          ...parsePublishedTwin(smallChem1(), "chem1"),
          members: Array.from({ length: members }, () =>
            toCascadeMember(
              layout,
              Array.from({ length: layout.size }, () => rng.range(-1, 1)),
            ),
          ),
        };
        // A spec that passes validation passes it again as a file would.
        expect(() => parsePublishedTwin({ ...spec, members: spec.members }, "random.json")).not.toThrow();
        expect(pathDisagreement(spec, seed)).toBeLessThan(1e-4);
      }),
      { numRuns: 8, seed: 13 },
    );
  });
});
