import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DataError } from "../../core/errors.js";
import { readProblemConditions } from "../../twin/generic/problemPredictCsv.js";
import { readProblemTwin } from "../../twin/generic/problemTwinFile.js";
import { OBJECTIVE_KEY } from "../../twin/generic/explainProblemTwin.js";
import { buildProblemExplanation, problemExplainFiles, PROBLEM_EXPLAIN_FILES, writeProblemExplanation } from "../../report/problemExplanation.js";
import { givenOptions, intOpt, type CommandIO, type ParsedOptions } from "../command.js";
import { checkOutputFolder, forced } from "../outputs.js";
import { checkSameProblem, columnsOpt } from "./twinProblem.js";

const CMD = "twin explain";

/**
 * `sdfl twin explain` for a problem twin: SHAP of the objective and of every outcome over
 * the rows of one CSV of the problem (default the twin's training data), response surfaces
 * of the predicted objective, an HTML page; names and units are the problem's.
 */
export async function explainProblemTwinCli(
  opts: ParsedOptions,
  io: CommandIO,
  f: { twinFile: string; outDir: string; resolution: number; seed: number },
): Promise<number> {
  const loaded = readProblemTwin(f.twinFile);
  checkSameProblem(opts, io, f.twinFile, loaded);
  const twin = loaded.twin;
  const trainedOn = loaded.training.data.file;
  const dataFile = typeof opts.data === "string" && givenOptions(opts).has("data") ? resolve(io.cwd, opts.data) : trainedOn;
  if (!existsSync(dataFile))
    throw new DataError(
      { file: dataFile },
      `file not found${dataFile === trainedOn ? " (the twin's training data, recorded in the twin file)" : ""}`,
      "give --data FILE.csv with one column per input of the problem: its rows are explained and used as the SHAP background",
    );
  const X = readProblemConditions(dataFile, twin, { ...loaded.training.data.columns, ...columnsOpt(opts) });
  const maxBackground = opts.background === undefined ? undefined : intOpt(opts, "background", CMD, X.length, 1, X.length);
  checkOutputFolder(f.outDir, "--out", { force: forced(opts), files: problemExplainFiles(twin), inputs: [dataFile, f.twinFile] });
  io.progress(`explain: problem twin ${f.twinFile} (${twin.problem.name}), data ${dataFile} (${X.length} rows)`);
  const bundle = await buildProblemExplanation(
    twin,
    { background: X, points: X, maxBackground, seed: f.seed, surfaces: { resolution: f.resolution } },
    io.progress,
  );
  const json = writeProblemExplanation(bundle, f.outDir, { data: dataFile });
  io.progress(`explain: wrote ${f.outDir}/${PROBLEM_EXPLAIN_FILES.index}`);
  const p = bundle.explanation.outputs[OBJECTIVE_KEY];
  const name = twin.problem.objective.name;
  if (opts.json) {
    io.out(
      JSON.stringify({
        out: f.outDir,
        twin: f.twinFile,
        problem: twin.problem.name,
        data: dataFile,
        target: name,
        ranking: p.ranking,
        meanAbs: p.meanAbs,
        direction: p.direction,
        outcomes: Object.fromEntries(
          twin.outcomeSpecs.map((o) => [o.name, { ranking: bundle.explanation.outputs[o.name].ranking, meanAbs: bundle.explanation.outputs[o.name].meanAbs }]),
        ),
        timing: json.timing,
      }) + "\n",
    );
  } else {
    const w = Math.max(5, ...p.ranking.map((r) => r.length));
    io.out(`${name} (${twin.problem.objective.goal}) importance (mean |SHAP|, direction):\n`);
    for (const r of p.ranking) io.out(`  ${r.padEnd(w)} ${p.meanAbs[r].toExponential(3)}  ${p.direction[r] > 0 ? "+" : p.direction[r] < 0 ? "-" : "0"}\n`);
    io.out(`wrote ${f.outDir}\n`);
  }
  return 0;
}
