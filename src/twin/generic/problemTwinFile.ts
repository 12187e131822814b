import { DataError, FormatError } from "../../core/errors.js";
import { parseProblem } from "../../bo/problem/parseProblem.js";
import type { ProblemDefinition } from "../../bo/problem/problem.js";
import type { VarianceModel } from "../calibration.js";
import { readJsonFile } from "../publishedTwin.js";
import { writeTextFile } from "../twinFile.js";
import { finiteField, MIN_MEMBERS, validateMember } from "../validateTwin.js";
import { ProblemTwin, type OutcomeEnsemble } from "./problemTwin.js";

/** Format name and version of a problem twin file (a twin of any problem, docs/twin.md). */
export const PROBLEM_TWIN_FORMAT = "sdfl-problem-twin";
export const PROBLEM_TWIN_VERSION = 1;

const HINT = "the twin file is damaged: retrain it with `sdfl twin train --problem FILE --data FILE.csv`";

/** Training provenance of a problem twin: the data file and the ensemble settings. */
export interface ProblemTwinTraining {
  data: { file: string; rows: number; sha256: string; columns: Record<string, string> };
  seed: number;
  members: number;
  schedule: Record<string, unknown>;
  depth: [number, number];
  width: [number, number];
  trainer: string;
  workers: number;
  seconds: number;
  /** Epochs per member, per outcome (outcome name -> [members]). */
  epochs: Record<string, number[]>;
  /** Rows the variance models were fitted on (0: none, the member spread). */
  calibrationRows: number;
  /** Where the variance models come from: "out-of-bag", "K-fold cross-validation" or none. */
  calibrationMethod?: string;
}

/** A problem twin file read back: the twin and its records. */
export interface ProblemTwinFile {
  createdAt: string;
  twin: ProblemTwin;
  training: ProblemTwinTraining;
  metrics: Record<string, unknown>;
}

/** True when parsed JSON claims to be a problem twin file. */
export function isProblemTwin(json: unknown): boolean {
  return !!json && typeof json === "object" && (json as { format?: unknown }).format === PROBLEM_TWIN_FORMAT;
}

/**
 * Write a problem twin as JSON: the problem definition, input order and bounds (the
 * normalisation), per outcome its scaling, variance model and members (weights at full
 * float64 precision, so the loaded twin predicts exactly as the trained one).
 */
export function saveProblemTwin(file: string, twin: ProblemTwin, training: ProblemTwinTraining, metrics: Record<string, unknown>): void {
  const s = twin.spec;
  const body = {
    format: PROBLEM_TWIN_FORMAT,
    version: PROBLEM_TWIN_VERSION,
    createdAt: new Date().toISOString(),
    source: s.source,
    problem: s.problem.definition,
    inputs: s.inputs,
    inputBounds: s.inputBounds,
    outcomes: s.outcomes.map((o) => ({
      name: o.name,
      unit: o.unit,
      outputScaling: o.scaling,
      ...(o.calibration ? { calibration: o.calibration } : {}),
      architecture: { type: "cascade", activation: "relu", widths: o.members.map((m) => m.hidden.map((l) => l.bias.length)) },
      members: o.members,
    })),
    objective: {
      name: s.problem.objective.name,
      formula: s.problem.objective.formula,
      goal: s.problem.objective.goal,
      ...(s.objectiveCalibration ? { calibration: s.objectiveCalibration } : {}),
    },
    training,
    metrics,
  };
  writeTextFile(file, JSON.stringify(body));
}

/**
 * Parse and validate a problem twin file completely: the problem (as `sdfl problem show`
 * validates it), inputs and bounds matching it, one outcome ensemble per outcome of the
 * problem with the same member count, every weight finite and every layer chained (as for
 * paper twins, validateTwin.ts), scalings and variance models finite. A
 * {@link FormatError} names file, field, outcome, member and layer.
 */
export function parseProblemTwin(json: unknown, file: string): ProblemTwinFile {
  const fail = (what: string): never => {
    throw new FormatError(`${file}: ${what}`, HINT);
  };
  if (!isProblemTwin(json)) fail(`not a problem twin file (no "format": "${PROBLEM_TWIN_FORMAT}")`);
  const o = json as Record<string, unknown>;
  if (o.version !== PROBLEM_TWIN_VERSION)
    throw new FormatError(
      `${file}: problem twin format version ${JSON.stringify(o.version)} is not supported (this sdfl reads version ${PROBLEM_TWIN_VERSION})`,
      "retrain the twin with this version of sdfl",
    );
  let problem;
  try {
    problem = parseProblem(o.problem, `${file}: "problem"`);
  } catch (e) {
    if (e instanceof DataError) throw new FormatError(e.message, HINT);
    throw e;
  }
  const names = problem.space.inputs.map((s) => s.name);
  if (!Array.isArray(o.inputs) || o.inputs.length !== names.length || o.inputs.some((v, i) => v !== names[i]))
    fail(`"inputs" = ${JSON.stringify(o.inputs)} must be the problem's free inputs in its order (${names.join(", ")})`);
  if (!Array.isArray(o.inputBounds) || o.inputBounds.length !== names.length) fail(`"inputBounds" must hold one [lo, hi] per input (${names.length})`);
  const inputBounds = (o.inputBounds as unknown[]).map((b, i) => {
    if (!Array.isArray(b) || b.length !== 2) fail(`"inputBounds"[${i}] must be [lo, hi]`);
    const lo = finiteField((b as unknown[])[0], `inputBounds[${i}][0]`, file);
    const hi = finiteField((b as unknown[])[1], `inputBounds[${i}][1]`, file);
    if (!(lo < hi)) fail(`"inputBounds"[${i}] = [${lo}, ${hi}] must have lo < hi`);
    return [lo, hi] as [number, number];
  });
  // Every required outcome of the problem, and optional ones the data gave, in the problem's order.
  const required = problem.outcomes.filter((x) => !x.optional).map((x) => x.name);
  if (!Array.isArray(o.outcomes)) fail(`"outcomes" must be a list of outcome ensembles`);
  const outcomeNames = (o.outcomes as { name?: unknown }[]).map((e) => String(e && typeof e === "object" ? e.name : undefined));
  const order = outcomeNames.map((name) => problem.outcomes.findIndex((x) => x.name === name));
  if (required.some((name) => !outcomeNames.includes(name)) || order.some((i, j) => i < 0 || (j > 0 && i <= order[j - 1])))
    fail(
      `"outcomes" must hold one ensemble per outcome of the problem, in its order (${problem.outcomes.map((x) => `${x.name}${x.optional ? " (optional)" : ""}`).join(", ")}); the file has ${JSON.stringify(outcomeNames)}`,
    );
  let memberCount = -1;
  const outcomes: OutcomeEnsemble[] = (o.outcomes as unknown[]).map((raw, j) => {
    const at = `outcomes[${j}]`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) fail(`${at} must be an object`);
    const e = raw as Record<string, unknown>;
    const sc = e.outputScaling as Record<string, unknown> | undefined;
    if (!sc || typeof sc !== "object") fail(`${at}.outputScaling must be {"min": number, "max": number}`);
    const min = finiteField(sc!.min, `${at}.outputScaling.min`, file);
    const max = finiteField(sc!.max, `${at}.outputScaling.max`, file);
    if (!(max > min)) fail(`${at}.outputScaling has max ${max} <= min ${min}; the scaling range must be positive`);
    const calibration = e.calibration === undefined ? undefined : varianceModel(e.calibration, `${at}.calibration`, fail);
    if (!Array.isArray(e.members)) fail(`${at}.members must be a list`);
    const members = e.members as unknown[];
    if (members.length < MIN_MEMBERS)
      fail(`${at} (${outcomeNames[j]}) has ${members.length} member(s); at least ${MIN_MEMBERS} are needed, since the uncertainty is the spread over members`);
    if (memberCount >= 0 && members.length !== memberCount)
      fail(`${at} (${outcomeNames[j]}) has ${members.length} members but the first outcome has ${memberCount}; every outcome needs the same count`);
    memberCount = members.length;
    members.forEach((m, k) => validateMember(m, names.length, 1, `${file}: outcome ${outcomeNames[j]}`, k, outcomeNames[j]));
    const unit = problem.outcomes[order[j]].unit;
    return { name: outcomeNames[j], unit, scaling: { min, max }, members: members as OutcomeEnsemble["members"], ...(calibration ? { calibration } : {}) };
  });
  const objective = o.objective as Record<string, unknown> | undefined;
  if (!objective || typeof objective !== "object") fail(`"objective" must be an object`);
  const objectiveCalibration = objective!.calibration === undefined ? undefined : varianceModel(objective!.calibration, "objective.calibration", fail);
  const training = o.training as Record<string, unknown> | undefined;
  const data = training?.data as Record<string, unknown> | undefined;
  if (!training || typeof training !== "object" || !data || typeof data.sha256 !== "string" || typeof data.file !== "string")
    fail(`"training" must record the data file and its hash (training.data.file, training.data.sha256)`);
  const twin = new ProblemTwin({
    problem,
    source: typeof o.source === "string" ? o.source : file,
    inputs: names,
    inputBounds,
    outcomes,
    ...(objectiveCalibration ? { objectiveCalibration } : {}),
  });
  return {
    createdAt: String(o.createdAt ?? ""),
    twin,
    training: training as unknown as ProblemTwinTraining,
    metrics: (o.metrics as Record<string, unknown>) ?? {},
  };
}

/** Read and validate a problem twin file. */
export function readProblemTwin(file: string): ProblemTwinFile {
  return parseProblemTwin(readJsonFile(file), file);
}

/** A stored variance model: finite scale >= 0 and noiseVar >= 0. */
function varianceModel(v: unknown, field: string, fail: (what: string) => never): VarianceModel {
  const m = v as Record<string, unknown> | null;
  const scale = m?.scale;
  const noiseVar = m?.noiseVar;
  if (typeof scale !== "number" || !(Number.isFinite(scale) && scale >= 0) || typeof noiseVar !== "number" || !(Number.isFinite(noiseVar) && noiseVar >= 0))
    fail(`${field} needs finite "scale" >= 0 and "noiseVar" >= 0, got ${JSON.stringify(v)}`);
  return { scale: scale as number, noiseVar: noiseVar as number };
}

/** True when two problem definitions describe the same problem (their CSV `columns` and `description` may differ). */
export function sameProblem(a: ProblemDefinition, b: ProblemDefinition): boolean {
  const core = ({ columns: _c, description: _d, ...rest }: ProblemDefinition) => JSON.stringify(rest);
  return core(a) === core(b);
}
