import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseProblem } from "../../../src/bo/problem/parseProblem.js";
import { readProblemCsv } from "../../../src/bo/problem/problemCsv.js";
import { DataError, FormatError } from "../../../src/core/errors.js";
import { CROSSFIT_SCHEDULE } from "../../../src/twin/enn/schedule.js";
import { loadAnyTwin } from "../../../src/twin/generic/anyTwin.js";
import { readProblemTwin, saveProblemTwin, type ProblemTwinTraining } from "../../../src/twin/generic/problemTwinFile.js";
import type { ProblemTwin } from "../../../src/twin/generic/problemTwin.js";
import { trainProblemTwin } from "../../../src/twin/generic/trainProblemTwin.js";
import { loadTwin } from "../../../src/twin/loadTwin.js";
import { resolveDatasetDir, resolveTwinPath } from "../../../src/twin/dataPaths.js";
import { loadDataset } from "../../../src/twin/dataset.js";
import { plqyProxy } from "../../../src/twin/plqy.js";
import { INPUT_NAMES, PAPER_PROBLEM } from "../../../src/twin/space.js";
import { conditions, LAB_COLUMNS, labCsv, trueOutcomes, TWO_OUTCOME_PROBLEM } from "../../helpers/problemTwinData.js";

const problem = parseProblem(TWO_OUTCOME_PROBLEM, "problem.json");
// 10 members over 5 folds: every row is out of bag for 2 members (needed for calibration).
const lean = { members: 10, seed: 3, workers: 1, schedule: { ...CROSSFIT_SCHEDULE, folds: 5, maxEpochs: 150 } };

function dataFile(n = 30): string {
  const dir = mkdtempSync(join(tmpdir(), "sdfl-ptwin-"));
  writeFileSync(join(dir, "lab.csv"), labCsv(conditions(n, 11)));
  return join(dir, "lab.csv");
}

// Trained once (lean) and shared by the tests that only read it.
let once: Promise<{ file: string; t: Awaited<ReturnType<typeof trainProblemTwin>> }> | undefined;
function trained() {
  once ??= (async () => {
    const file = dataFile();
    const rows = readProblemCsv(file, problem, { columns: LAB_COLUMNS, outcomes: "required" });
    return { file, t: await trainProblemTwin(problem, rows, { ...lean, file }) };
  })();
  return once;
}

/** Save the lean test twin with a fixed training record (what these tests check is the file, not the record). */
function saveSmallTwin(out: string, twin: ProblemTwin, file: string, columns: Record<string, string>): void {
  const training: ProblemTwinTraining = {
    data: { file, rows: 30, sha256: "x", columns },
    seed: 3,
    members: 4,
    schedule: {},
    depth: [8, 10],
    width: [20, 40],
    trainer: "t",
    workers: 1,
    seconds: 0,
    epochs: {},
    calibrationRows: 30,
  };
  saveProblemTwin(out, twin, training, {});
}

describe("problem twin (any problem's inputs -> each outcome, objective by formula)", () => {
  it("learns each outcome; member k's objective is the problem's formula of member k's outcomes", async () => {
    const { t } = await trained();
    expect(t.twin.inputs).toEqual(["tau", "T2", "conc"]);
    expect(t.twin.memberCount).toBe(10);
    // Smooth functions, 30 rows: in-sample fit must be close, out-of-bag clearly better than the mean.
    expect(t.accuracy.yield.r2).toBeGreaterThan(0.8);
    expect(t.accuracy.impurity.r2).toBeGreaterThan(0.8);
    expect(t.accuracy.yield.r2OutOfBag).toBeGreaterThan(0.3);
    expect(t.accuracy.objective.nOutOfBag).toBe(30);
    const test = conditions(5, 99);
    const p = t.twin.predict(test.map((c) => [c.tau, c.T2, c.conc]));
    for (let k = 0; k < p.m; k++)
      for (let i = 0; i < p.n; i++) {
        const j = k * p.n + i;
        expect(p.objective.members[j]).toBeCloseTo(p.outcomes.impurity.members[j] - 0.1 * p.outcomes.yield.members[j], 10);
      }
    // Calibrated: the predictive std is not the raw spread, and covers it.
    expect(t.calibrationRows).toBe(30);
    expect(t.twin.spec.objectiveCalibration).toBeDefined();
    for (let i = 0; i < p.n; i++) expect(p.objective.predStd[i]).toBeGreaterThan(0);
    // Predictions are near the truth away from the data too (smooth function, not a lookup table).
    const err = test.map((c, i) => Math.abs(p.outcomes.impurity.mean[i] - trueOutcomes(c).impurity));
    expect(Math.max(...err)).toBeLessThan(1.5);
  });

  it("saves and loads exactly; loadTwin refuses it clearly; loadAnyTwin tells the kinds apart", async () => {
    const { t, file } = await trained();
    const out = join(file, "..", "twin.json");
    saveSmallTwin(out, t.twin, file, LAB_COLUMNS);
    const back = readProblemTwin(out).twin;
    const pts = conditions(7, 5).map((c) => [c.tau, c.T2, c.conc]);
    const a = t.twin.predict(pts);
    const b = back.predict(pts);
    expect(Array.from(b.objective.members)).toEqual(Array.from(a.objective.members));
    expect(Array.from(b.outcomes.yield.predStd)).toEqual(Array.from(a.outcomes.yield.predStd));
    await expect(loadTwin(out)).rejects.toThrow(/a twin of the problem "flow-oxidation".*not of the paper's Abs300nm\/PLA cascade/);
    const any = await loadAnyTwin(out);
    expect(any.kind).toBe("problem");
    const paper = await loadAnyTwin(resolveTwinPath("chem1"));
    expect(paper.kind).toBe("paper");
    paper.twin.dispose();
  });

  it("refuses a damaged problem twin naming file, field, outcome, member and layer", async () => {
    const { t, file } = await trained();
    const out = join(file, "..", "twin.json");
    saveSmallTwin(out, t.twin, file, {});
    const good = JSON.parse(readFileSync(out, "utf8"));
    const damaged = (edit: (j: typeof good) => void): string => {
      const j = structuredClone(good);
      edit(j);
      const f = join(file, "..", "damaged.json");
      writeFileSync(f, JSON.stringify(j));
      return f;
    };
    const expectRefused = (f: string, re: RegExp) => {
      let err: unknown;
      try {
        readProblemTwin(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FormatError);
      expect((err as Error).message).toMatch(re);
    };
    expectRefused(
      damaged((j) => (j.outcomes[1].members[2].hidden[1].weight[0][3] = "NaN")),
      /damaged\.json: outcome impurity: member 2: hidden layer 2: weight\[0\]\[3\] = "NaN" \(a string\)/,
    );
    expectRefused(
      damaged((j) => (j.inputs = ["T2", "tau", "conc"])),
      /"inputs" = .* must be the problem's free inputs in its order \(tau, T2, conc\)/,
    );
    expectRefused(
      damaged((j) => j.outcomes.pop()),
      /"outcomes" must hold one ensemble per outcome of the problem, in its order \(yield, impurity\); the file has \["yield"\]/,
    );
    expectRefused(
      damaged((j) => (j.outcomes[0].outputScaling.max = -1)),
      /outcomes\[0\]\.outputScaling has max -1 <= min/,
    );
    expectRefused(
      damaged((j) => (j.objective.calibration = { scale: -1, noiseVar: 0 })),
      /objective\.calibration needs finite "scale" >= 0/,
    );
    expectRefused(
      damaged((j) => (j.problem.inputs[0].bounds = [5, 1])),
      /"problem": inputs\[0\]\.bounds: low 5 must be below high 1/,
    );
    expectRefused(
      damaged((j) => (j.version = 9)),
      /problem twin format version 9 is not supported/,
    );
    expectRefused(
      damaged((j) => j.outcomes[0].members.splice(1)),
      /outcomes\[0\] \(yield\) has 1 member\(s\); at least 2 are needed/,
    );
  });

  it("the paper's problem as a problem file: optional peak446 absent is not modelled; the objective is the PLQY proxy of each member", async () => {
    const ds = loadDataset(resolveDatasetDir("chem3"));
    const rows = ds.X.map((x, i) => ({
      line: i + 2,
      condition: Object.fromEntries(INPUT_NAMES.map((name, j) => [name, x[j]])),
      outcomes: { abs300: ds.abs[i], pla: ds.pla[i] },
    }));
    const progress: string[] = [];
    const t = await trainProblemTwin(PAPER_PROBLEM, rows, { ...lean, schedule: { ...lean.schedule, maxEpochs: 40 }, progress: (l) => progress.push(l) });
    expect(progress.join("\n")).toMatch(/optional outcome\(s\) peak446 not on every row: not modelled/);
    expect(t.twin.spec.outcomes.map((o) => o.name)).toEqual(["abs300", "pla"]);
    const p = t.twin.predict(ds.X.slice(0, 6));
    for (let j = 0; j < p.m * p.n; j++) expect(p.objective.members[j]).toBeCloseTo(plqyProxy(p.outcomes.abs300.members[j], p.outcomes.pla.members[j]), 12);
  });

  it("refuses too few rows and a row without an outcome, naming the lines", async () => {
    const file = dataFile(30);
    const rows = readProblemCsv(file, problem, { columns: LAB_COLUMNS, outcomes: "required" });
    delete rows[4].outcomes.impurity;
    delete rows[9].outcomes.impurity;
    await expect(trainProblemTwin(problem, rows, { ...lean, file })).rejects.toThrow(/impurity is missing on lines 6, 11/);
    await expect(trainProblemTwin(problem, rows.slice(0, 6), { ...lean, file })).rejects.toThrow(DataError);
  });
});
