import { existsSync, mkdirSync } from "node:fs";
import { trainProjectTwin } from "../twin/trainProjectTwin.js";
import { basename, dirname, extname, join, resolve } from "node:path";
import { DataError, UsageError } from "../core/errors.js";
import { objectiveOf, setPointsOf, type Problem, type ProblemDefinition } from "../bo/problem/problem.js";
import { campaignProblem, notThePaperProblem } from "../store/campaignProblem.js";
import { readProblemCsv } from "../bo/problem/problemCsv.js";
import { DEFAULT_STRATEGY, usesEnn } from "./builtinStrategies.js";
import { Rng } from "../core/rng.js";
import { initialDesign } from "../bo/design/initialDesign.js";
import { deriveSeed } from "../bo/campaign/seeds.js";
import { parseInitSpec } from "../bo/campaign/initSpec.js";
import type { InitPlan } from "../bo/campaign/runner.js";
import type { Measurement } from "../bo/lab.js";
import { loadDataset } from "../twin/dataset.js";
import { findDataRoot, resolveDatasetDir, resolveTwinPath } from "../twin/dataPaths.js";
import { paperCondition, paperMeasurement, pfoFlow } from "../twin/space.js";

/** Everything that defines a campaign; stored as JSON in the campaign row so --resume can rebuild it. */
export interface CampaignSettings {
  /** "sim", "hil", "folder", a test function on the paper's space ("branin-reactor5d", ...), or the absolute path of an oracle module. */
  lab: string;
  /** The problem the campaign solves (its JSON definition); absent in stores of older versions, which solved the built-in problem. */
  problem?: ProblemDefinition;
  /** CSV column names by problem name for a --data FILE.csv (--columns); the problem's own `columns` apply too. */
  dataColumns?: Record<string, string>;
  /** SHA-256 of an oracle-module lab at the start (resume refuses a different file unless --force). */
  labModuleSha256?: string | null;
  /** Simulator mode for --lab sim. */
  simMode: "physics" | "steady";
  /** Truth twin file of the simulated lab (absolute path), or null for test-function labs. */
  twin: string | null;
  /** Noise option as given ("measured", "none", "0.04", ...). */
  noise: string;
  /** Initial data (absolute): a data-set folder (inputs.csv + outputs.csv) or one CSV file; null when the design is new points. */
  data: string | null;
  /** "published", "lhs:N" or "sobol:N". */
  init: string;
  budget: number;
  /** Built-in strategy name (enn-ei, gp-ei, random, ...), or the module's file name. */
  strategy: string;
  /** Absolute path of a user strategy module, or null. */
  strategyModule: string | null;
  seed: number;
  finalExploit: boolean;
  /** --lab hil: absolute path of the lab configuration. */
  labConfig?: string | null;
  /** --lab folder: absolute path of the spectra folder. */
  folder?: string | null;
  /** Measurements of the final recommendation after the budget (absent in stores written before it existed: 0). */
  replicates?: number;
  /** Declared measurement noise as given to --noise-sd ("4%", "0.008"), absent = estimated. */
  noiseSd?: string;
  /** SHA-256 of the truth twin file at the start (resume refuses a different file); absent in older stores. */
  twinSha256?: string | null;
  /** SHA-256 of the strategy module at the start; absent in older stores. */
  strategyModuleSha256?: string | null;
}

/** The chemistry `sdfl campaign` (--data) and `sdfl sim` default to; their default truth twin is {@link defaultTwin} of it. */
export const DEFAULT_CHEMISTRY = "chem3";

/**
 * The truth twin when --twin is not given: a project twin of the data's chemistry at
 * `twins/<chem>.json` in the working folder, else a published twin of that chemistry in
 * the data root. When neither exists, one is trained now on that chemistry's published
 * LHS data (seed 0, default schedule, a few seconds) and saved to `twins/<chem>.json`, so
 * the simulated lab and the initial data describe the same chemistry. A data folder that
 * is not a named chemistry falls back to the published Chem1 twin, with a note.
 */
export async function defaultTwin(
  dataArg: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  progress: (line: string) => void = () => {},
): Promise<{ file: string; note?: string }> {
  const chem = /^chem\d+$/i.test(dataArg) ? dataArg.toLowerCase() : undefined;
  if (chem) {
    const local = resolve(cwd, "twins", `${chem}.json`);
    for (const f of [local, join(findDataRoot(env, cwd), "twins", `${chem}.json`)]) if (existsSync(f)) return { file: f };
    mkdirSync(dirname(local), { recursive: true });
    progress(`no twin for ${chem} yet: training one on its published LHS data (seed 0) as the simulator's truth model`);
    await trainProjectTwin(resolveDatasetDir(chem, chem, env, cwd), local, { seed: 0, progress });
    return { file: local, note: `the simulator's truth model is the project twin ${local}, trained on the ${chem} LHS data (delete it to retrain)` };
  }
  return {
    file: resolveTwinPath("chem1", env, cwd),
    note: `no twin for ${dataArg} found (looked for twins/<chem>.json); the simulator uses the published chem1 twin as its truth (pass --twin FILE to choose)`,
  };
}

/** Check and complete user settings; errors are UsageErrors naming the flag. */
export function checkSettings(s: CampaignSettings): CampaignSettings {
  if (s.twin !== null && !existsSync(s.twin))
    throw new UsageError(`--twin: file not found (${s.twin})`, "give a twin file or a published twin name such as chem1");
  if (s.strategyModule !== null && !existsSync(s.strategyModule)) throw new UsageError(`--strategy-module: file not found (${s.strategyModule})`);
  if (s.init !== "folder") parseInitSpec(s.init);
  return s;
}

/**
 * Refuse an ENN strategy (`enn-*`) on a problem that is not the paper's: the ENN is the
 * paper's twin (five inputs -> abs300, pla). GP strategies, random and modules fit any problem.
 */
export function checkStrategyFitsProblem(ref: { name: string; module?: string }, problem: Problem): void {
  const why = ref.module ? undefined : notThePaperProblem(problem);
  if (why && usesEnn(ref.name))
    throw new UsageError(
      `--strategy ${ref.name} uses the ENN twin of the paper's reactor (five inputs -> abs300, pla), but problem "${problem.name}" is another: ${why}`,
      `use a GP strategy (e.g. --strategy ${DEFAULT_STRATEGY}) or random for this problem`,
    );
}

/**
 * The initial data of a campaign: the rows of a data set (the published two-file layout,
 * or one CSV of the problem's inputs and outcomes with mapped columns), or a seeded design
 * of new points. A CSV row with a missing value is refused by line (never dropped).
 */
export function initPlan(s: CampaignSettings): InitPlan {
  const spec = parseInitSpec(s.init);
  const problem = campaignProblem(s);
  if (spec.kind === "dataset" && s.data && isCsvFile(s.data)) {
    const rows: Measurement[] = readProblemCsv(s.data, problem, { columns: s.dataColumns ?? {}, outcomes: "required" }).map((r) => {
      const objective = objectiveOf(problem, r.outcomes, r.condition);
      if (!Number.isFinite(objective))
        throw new DataError(
          { file: s.data!, line: r.line },
          `the objective ${problem.objective.formula} is ${objective} for these outcomes`,
          "check the outcome values",
        );
      return {
        condition: r.condition,
        setPoints: setPointsOf(problem, r.condition),
        outcomes: r.outcomes,
        objective,
        startedAt: NaN,
        finishedAt: NaN,
        meta: { line: r.line },
      };
    });
    return { kind: "dataset", label: `data ${s.data}`, rows };
  }
  if (spec.kind === "dataset") {
    if (!s.data) throw new UsageError("--init published needs a data set", "pass --data chem3 (or a folder with inputs.csv and outputs.csv, or FILE.csv)");
    const ds = loadDataset(s.data);
    const rows: Measurement[] = ds.X.map((x, i) => {
      const c = paperCondition(x);
      return paperMeasurement({ condition: c, pfo: pfoFlow(c), abs300: ds.abs[i], pla: ds.pla[i], plqy: ds.plqy[i], startedAt: NaN, finishedAt: NaN });
    });
    return { kind: "dataset", label: `published data ${s.data}`, rows };
  }
  const conditions = initialDesign(spec, problem.space, new Rng(deriveSeed(s.seed, "design")));
  return { kind: "design", label: `${spec.kind}:${spec.count} design, seed ${s.seed}`, conditions };
}

/** True when a --data argument names one CSV file (rather than a data-set folder or chemistry). */
export function isCsvFile(arg: string): boolean {
  return /\.csv$/i.test(arg.trim());
}

/** Resolve --data for a campaign: one CSV file (absolute, must exist), or a data-set folder with inputs.csv and outputs.csv. */
export function resolveData(arg: string, env: NodeJS.ProcessEnv, cwd: string): string {
  if (isCsvFile(arg)) {
    const file = resolve(cwd, arg.trim());
    if (!existsSync(file))
      throw new UsageError(
        `--data ${arg}: file not found (${file})`,
        "give a CSV file with one column per input and outcome, or a data set (chem1, chem2, chem3, a folder)",
      );
    return file;
  }
  return resolveDatasetDir(arg, "chem3", env, cwd);
}

/** Default output folder of a campaign: `<store dir>/<store name>-results/campaign-<id>`. */
export function defaultOutDir(storeFile: string, campaignId: number): string {
  return join(dirname(storeFile), `${basename(storeFile, extname(storeFile))}-results`, `campaign-${campaignId}`);
}

/** Absolute path helper for CLI file arguments. */
export function abs(cwd: string, p: string): string {
  return resolve(cwd, p);
}
