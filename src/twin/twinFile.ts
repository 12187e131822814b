import { writeFileSync } from "node:fs";
import { FormatError, SdflError } from "../core/errors.js";
import type { CascadeEnsembleSpec } from "./cascadeEnsembleSpec.js";
import { parseCalibration } from "./calibration.js";
import { parseInputTransform } from "./inputTransform.js";
import { parsePublishedTwin, readJsonFile } from "./publishedTwin.js";

/** Format name and version written into every project twin file. */
export const TWIN_FORMAT = "sdfl-twin";
export const TWIN_FORMAT_VERSION = 2;
/** The version written for a twin with an input transform (older sdfl would ignore the field and mispredict). */
export const TWIN_FORMAT_VERSION_TRANSFORM = 3;
/**
 * The version written for a twin whose calibration has an extrapolation term
 * ("calibration.trainingRange" and per-output "extrapolation"; an older sdfl would ignore
 * them and report too narrow intervals outside the data).
 */
export const TWIN_FORMAT_VERSION_EXTRAPOLATION = 4;
/**
 * The version written for a twin whose extrapolation term applies to gaps between training
 * values ("calibration.trainingValues"; an older sdfl would apply it outside the range only).
 */
export const TWIN_FORMAT_VERSION_GAPS = 5;
/**
 * Versions this sdfl reads: 1 (no calibration; predictive std = member spread), 2 (adds
 * "calibration"), 3 (adds "inputTransform": the networks see features of the inputs), 4
 * (adds the calibration's extrapolation term), 5 (the term grows with gaps between training values).
 */
export const READABLE_TWIN_VERSIONS: readonly number[] = [1, 2, 3, 4, 5];

/** The format version a spec needs: the lowest that stores everything it has. */
function versionFor(spec: CascadeEnsembleSpec): number {
  if (spec.calibration?.trainingValues) return TWIN_FORMAT_VERSION_GAPS;
  if (spec.calibration?.trainingRange) return TWIN_FORMAT_VERSION_EXTRAPOLATION;
  return spec.inputTransform ? TWIN_FORMAT_VERSION_TRANSFORM : TWIN_FORMAT_VERSION;
}

/** Training provenance stored with a project twin. */
export interface TwinTrainingMeta {
  /** The dataset folder and SHA-256 of its files. */
  data: { dir: string; rows: number; inputsSha256: string; outputsSha256: string };
  seed: number;
  /** TensorFlow.js backend available at training time (used for large-batch prediction). */
  backend: string;
  /** The training kernels ("js-float64"). */
  trainer: string;
  workers: number;
  schedule: Record<string, unknown>;
  members: number;
  depth: [number, number];
  width: [number, number];
  valFraction: number;
  seconds: number;
  epochs: number[];
  bestEpochs: number[];
  memberEpochs: number;
  split: { train: number[]; validation: number[] };
}

/** A project twin file: the cascade ensemble plus metadata and metrics. */
export interface ProjectTwinFile {
  format: typeof TWIN_FORMAT;
  version: number;
  createdAt: string;
  spec: CascadeEnsembleSpec;
  training: TwinTrainingMeta;
  /** Accuracy report at training time (see accuracy.ts). */
  metrics: Record<string, unknown>;
}

/**
 * Write a project twin as JSON. The member weights use the published member shape
 * (weight [out][in], bias [out]) at full float64 precision, so loading reproduces the
 * predictions exactly.
 */
export function saveProjectTwin(file: string, twin: Omit<ProjectTwinFile, "format" | "version" | "createdAt">): void {
  const { spec } = twin;
  const body = {
    format: TWIN_FORMAT,
    version: versionFor(spec),
    createdAt: new Date().toISOString(),
    source: spec.source,
    inputs: spec.inputs,
    inputBounds: spec.inputBounds,
    outputs: spec.outputs,
    outputScaling: spec.outputScaling,
    plqyReference: spec.plqyReference,
    ...(spec.calibration ? { calibration: spec.calibration } : {}),
    ...(spec.inputTransform ? { inputTransform: spec.inputTransform } : {}),
    training: twin.training,
    metrics: twin.metrics,
    architecture: { type: "cascade", activation: "relu", widths: spec.members.map((m) => m.hidden.map((l) => l.bias.length)) },
    members: spec.members,
  };
  writeTextFile(file, JSON.stringify(body));
}

/** Write a text file; an unwritable path is an {@link SdflError} naming the file and the reason. */
export function writeTextFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new SdflError(`cannot write ${file}: ${(e as Error).message.replace(/^[A-Z]+: /, "")}`, "check that the folder exists and is writable");
  }
}

/** True when parsed JSON is a project twin (has the format marker). */
export function isProjectTwin(json: unknown): boolean {
  return !!json && typeof json === "object" && (json as { format?: unknown }).format === TWIN_FORMAT;
}

/** Parse a project twin file's JSON; a wrong version or shape is a {@link FormatError}. */
export function parseProjectTwin(json: unknown, file: string): ProjectTwinFile {
  const o = json as Record<string, unknown>;
  if (!isProjectTwin(o)) throw new FormatError(`${file}: not an sdfl twin file (no "format": "${TWIN_FORMAT}")`, "pass a file written by `sdfl twin train`");
  if (typeof o.version !== "number" || !READABLE_TWIN_VERSIONS.includes(o.version)) {
    throw new FormatError(
      `${file}: twin format version ${JSON.stringify(o.version)} is not supported (this sdfl reads versions ${READABLE_TWIN_VERSIONS.slice(0, -1).join(", ")} and ${READABLE_TWIN_VERSIONS[READABLE_TWIN_VERSIONS.length - 1]})`,
      "retrain the twin with this version of sdfl",
    );
  }
  const spec = parsePublishedTwin(o, file);
  try {
    const calibration = parseCalibration(o.calibration);
    if (calibration?.trainingRange && calibration.trainingRange.length !== spec.inputs.length)
      throw new RangeError(`calibration.trainingRange has ${calibration.trainingRange.length} ranges, the twin ${spec.inputs.length} inputs`);
    if (calibration) spec.calibration = calibration;
  } catch (e) {
    throw new FormatError(`${file}: ${(e as Error).message}`, 'retrain the twin, or delete the "calibration" field to use the raw member spread');
  }
  if (o.inputTransform !== undefined) {
    try {
      spec.inputTransform = parseInputTransform(o.inputTransform, spec.inputBounds);
    } catch (e) {
      throw new FormatError(`${file}: ${(e as Error).message}`, "the twin file is damaged: retrain it with `sdfl twin train`");
    }
  }
  checkTraining(o.training, file);
  return {
    format: TWIN_FORMAT,
    version: o.version,
    createdAt: String(o.createdAt ?? ""),
    spec,
    training: o.training as TwinTrainingMeta,
    metrics: (o.metrics as Record<string, unknown>) ?? {},
  };
}

/** Read and parse a project twin file. */
export function readProjectTwin(file: string): ProjectTwinFile {
  return parseProjectTwin(readJsonFile(file), file);
}

/** The parts of the training record that commands read (data hashes, split) must be well formed. */
function checkTraining(t: unknown, file: string): void {
  const fail = (what: string): never => {
    throw new FormatError(`${file}: "training" ${what}`, "the twin file is damaged: retrain it with `sdfl twin train`");
  };
  if (!t || typeof t !== "object") fail("is missing or not an object");
  const tr = t as Record<string, unknown>;
  const data = tr.data as Record<string, unknown> | undefined;
  if (!data || typeof data.inputsSha256 !== "string" || typeof data.outputsSha256 !== "string")
    fail("has no data hashes (data.inputsSha256, data.outputsSha256)");
  const split = tr.split as Record<string, unknown> | undefined;
  for (const part of ["train", "validation"] as const) {
    const rows = split?.[part];
    if (!Array.isArray(rows)) fail(`has no split.${part} list of row numbers`);
    (rows as unknown[]).forEach((r, i) => {
      if (!Number.isInteger(r) || (r as number) < 0) fail(`split.${part}[${i}] = ${JSON.stringify(r)} is not a row number`);
    });
  }
}
