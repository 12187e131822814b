import { FormatError } from "../core/errors.js";
import type { CascadeLayer, CascadeMember } from "./cascade.js";

/**
 * Largest magnitude accepted for a weight or bias. Trained members of this project and
 * the published twins stay below 1 (chem1: 0.54); a value far beyond this cannot come
 * from training and would overflow float32 (the TF.js path) long before float64.
 */
export const MAX_ABS_PARAMETER = 1e4;

/** Smallest ensemble whose spread (n-1 standard deviation) means anything. */
export const MIN_MEMBERS = 2;

const HINT = "the twin file is damaged: retrain it with `sdfl twin train` or copy it again from its source";

/** How a JSON value looks in an error message: strings quoted, type named for non-numbers. */
function show(v: unknown): string {
  if (typeof v === "string") return `"${v.length > 20 ? v.slice(0, 20) + "..." : v}" (a string)`;
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "object") return "an object";
  return String(v);
}

/** True for a number that is finite and of a magnitude training can produce. */
function goodParameter(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= MAX_ABS_PARAMETER;
}

/**
 * Check one member completely: type, presence of every layer, every shape (layer l reads
 * d + the earlier widths; the output has `nOut` units), and every weight and bias a
 * finite number of plausible size. The error names file, member, layer, index and value.
 * @param member  untrusted JSON
 * @param k       member index (0-based, as in the file)
 * @param outputs what the output units are, for the message
 */
export function validateMember(member: unknown, d: number, nOut: number, file: string, k: number, outputs = "Abs300nm, PLA"): asserts member is CascadeMember {
  const at = `${file}: member ${k}`;
  const fail = (what: string): never => {
    throw new FormatError(`${at}: ${what}`, HINT);
  };
  if (!member || typeof member !== "object" || Array.isArray(member)) fail(`is ${show(member)}, expected an object with "hidden" and "output"`);
  const m = member as Record<string, unknown>;
  if (m.type !== "cascade") fail(`has type ${JSON.stringify(m.type)}; only "cascade" is supported`);
  if (!Array.isArray(m.hidden)) fail(`has no "hidden" list of layers`);
  if (m.output === undefined) fail(`has no "output" layer`);
  let fanIn = d;
  (m.hidden as unknown[]).forEach((layer, l) => {
    validateLayer(layer, `hidden layer ${l + 1}`, fanIn, undefined, fail);
    fanIn += (layer as CascadeLayer).bias.length;
  });
  validateLayer(m.output, "output layer", fanIn, nOut, fail, outputs);
}

function validateLayer(layer: unknown, name: string, fanIn: number, units: number | undefined, fail: (what: string) => never, outputs = ""): void {
  if (!layer || typeof layer !== "object" || Array.isArray(layer)) fail(`${name} is ${show(layer)}, expected {"weight": [[...]], "bias": [...]}`);
  const { weight, bias } = layer as { weight?: unknown; bias?: unknown };
  if (!Array.isArray(weight)) fail(`${name}: "weight" is ${weight === undefined ? "missing" : show(weight)}, expected a list of rows`);
  if (!Array.isArray(bias)) fail(`${name}: "bias" is ${bias === undefined ? "missing" : show(bias)}, expected a list of numbers`);
  const w = weight as unknown[];
  const b = bias as unknown[];
  if (b.length === 0) fail(`${name} has no units (empty "bias")`);
  if (units !== undefined && b.length !== units) fail(`${name} has ${b.length} units, expected ${units} (${outputs})`);
  if (w.length !== b.length) fail(`${name} has ${w.length} weight rows but ${b.length} biases`);
  w.forEach((row, r) => {
    if (!Array.isArray(row)) fail(`${name}: weight[${r}] is ${show(row)}, expected a list of ${fanIn} numbers`);
    const cells = row as unknown[];
    if (cells.length !== fanIn) fail(`${name}: weight[${r}] has ${cells.length} columns, expected ${fanIn} (inputs + earlier layers)`);
    cells.forEach((v, c) => {
      if (!goodParameter(v)) fail(`${name}: weight[${r}][${c}] = ${show(v)}; every weight must be a finite number of magnitude at most ${MAX_ABS_PARAMETER}`);
    });
  });
  b.forEach((v, i) => {
    if (!goodParameter(v)) fail(`${name}: bias[${i}] = ${show(v)}; every bias must be a finite number of magnitude at most ${MAX_ABS_PARAMETER}`);
  });
}

/** A finite number, or a FormatError naming the field and value. */
export function finiteField(v: unknown, field: string, file: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new FormatError(`${file}: ${field} = ${show(v)}; expected a finite number`, HINT);
  return v;
}
