import { join, resolve } from "node:path";
import { checkOutputFolder, FORCE_OPTION, forced } from "../outputs.js";
import { givenOptions, intOpt, stringOpt, type Command } from "../command.js";
import { loadTwin } from "../../twin/loadTwin.js";
import { loadDataset, warningLines } from "../../twin/dataset.js";
import { resolveDatasetDir, resolveTwinPath } from "../../twin/dataPaths.js";
import { buildExplanation, writeExplanation, EXPLAIN_FILES } from "../../report/explanation.js";
import { isProblemTwin } from "../../twin/generic/problemTwinFile.js";
import { readJsonFile } from "../../twin/publishedTwin.js";
import { explainProblemTwinCli } from "./explainProblem.js";

const CMD = "twin explain";

/** `sdfl twin explain`: SHAP values, response surfaces and an HTML page for a twin. */
export const explainCommand: Command = {
  path: ["twin", "explain"],
  summary: "explain a twin: SHAP importance of each input, response surfaces, HTML page",
  details: `
Computes exact interventional Shapley values (all 32 coalitions of the five inputs) of the
twin's PLQY proxy (mean over members of each member's PLQY) and of Abs300nm and PLA, for
every row of the data set, with the data set's rows as background; then the predicted PLQY
over each pair of the three most important inputs, the other inputs held at low, medium
and high levels (10, 50, 90 % of their ranges).

Writes into --out: ${EXPLAIN_FILES.json} (ranking, meanAbs, direction, per-sample values of every
output), ${EXPLAIN_FILES.surfacesJson}, shap-*.svg, ${EXPLAIN_FILES.surfaces}, ${EXPLAIN_FILES.surfacesStd} and ${EXPLAIN_FILES.index}.

Accepts twins written by \`sdfl twin train\` and published twins (--twin chem1).
example: sdfl twin explain --twin chem1 --data chem1 --out explain-chem1

For a twin of another problem (sdfl twin train --problem) the explained target is the
problem's objective (SHAP of it and of every outcome), --data is one CSV of the problem
(default: the twin's training data file), and the surfaces show the predicted objective;
names and units are the problem's.
example: sdfl twin explain --twin my-twin.json --out explain-mine`,
  options: {
    twin: { type: "string", arg: "FILE", description: "twin file, or chem1 for the published Chem1 twin" },
    data: {
      type: "string",
      arg: "DIR",
      description:
        "data set whose rows are explained and used as background (a folder, or chem1|chem2|chem3; default: the twin's chemistry if --twin chemN, else chem3; for a problem twin one CSV, default its training data)",
    },
    out: { type: "string", arg: "DIR", description: "output folder (created)" },
    problem: { type: "string", arg: "FILE", description: "with a problem twin: its problem file (checked against the twin's)" },
    columns: { type: "string", arg: "MAP", description: "with a problem twin: CSV column names by problem name for --data" },
    background: { type: "string", arg: "N", description: "use a seeded random subset of N background rows (default: all rows)" },
    resolution: { type: "string", arg: "N", description: "grid points per axis of each response surface", default: "30" },
    seed: { type: "string", arg: "N", description: "seed of the background subset", default: "1" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const twinArg = stringOpt(opts, "twin", CMD);
    const outDir = resolve(io.cwd, stringOpt(opts, "out", CMD));
    const resolution = intOpt(opts, "resolution", CMD, 30, 2, 400);
    const seed = intOpt(opts, "seed", CMD, 1, 0, 2 ** 31 - 1);
    const twinFile = resolveTwinPath(twinArg, io.env, io.cwd);
    if (isProblemTwin(readJsonFile(twinFile))) return explainProblemTwinCli(opts, io, { twinFile, outDir, resolution, seed });
    const dataArg = typeof opts.data === "string" && givenOptions(opts).has("data") ? opts.data : /^chem\d+$/i.test(twinArg) ? twinArg : undefined;
    const dataDir = resolveDatasetDir(dataArg, "chem3", io.env, io.cwd);
    const ds = loadDataset(dataDir);
    for (const w of warningLines(ds)) io.err(w + "\n");
    const maxBackground = opts.background === undefined ? undefined : intOpt(opts, "background", CMD, ds.X.length, 1, ds.X.length);
    io.progress(`explain: twin ${twinFile}, data ${dataDir} (${ds.X.length} rows)`);
    const twin = await loadTwin(twinFile);
    try {
      // Inputs are checked first (data, twin), then the outputs, then the work starts.
      const { beeswarm, ...single } = EXPLAIN_FILES;
      checkOutputFolder(outDir, "--out", {
        force: forced(opts),
        files: [...Object.values(single), ...Object.values(beeswarm)],
        inputs: [join(dataDir, "inputs.csv"), join(dataDir, "outputs.csv")],
      });
      const bundle = await buildExplanation(twin, { background: ds.X, points: ds.X, maxBackground, seed, surfaces: { resolution } }, io.progress);
      const json = writeExplanation(bundle, outDir, { data: dataDir });
      io.progress(`explain: wrote ${outDir}/${EXPLAIN_FILES.index}`);
      const p = bundle.explanation.outputs.PLQY;
      if (opts.json) {
        io.out(
          JSON.stringify({ out: outDir, twin: twinFile, data: dataDir, ranking: p.ranking, meanAbs: p.meanAbs, direction: p.direction, timing: json.timing }) +
            "\n",
        );
      } else {
        io.out(`PLQY importance (mean |SHAP|, direction):\n`);
        for (const name of p.ranking)
          io.out(`  ${name.padEnd(5)} ${p.meanAbs[name].toExponential(3)}  ${p.direction[name] > 0 ? "+" : p.direction[name] < 0 ? "-" : "0"}\n`);
        io.out(`wrote ${outDir}\n`);
      }
      return 0;
    } finally {
      twin.dispose();
    }
  },
};

/** `sdfl twin explain` (SHAP and response surfaces). */
export const explainCommands: Command[] = [explainCommand];
