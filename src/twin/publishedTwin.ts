import { readFileSync, existsSync } from "node:fs";
import { FormatError } from "../core/errors.js";
import { checkCascadeShapes, type CascadeMember } from "./cascade.js";
import { CascadeEnsembleTwin, type CascadeEnsembleSpec } from "./cascadeEnsemble.js";
import { DEFAULT_PLQY_REFERENCE } from "./plqy.js";

/**
 * Parse the published twin format (the authors' ENN converted to JSON; see the data
 * README): inputs, inputBounds, outputs, outputScaling, plqyReference, members[].
 * Shapes are checked; a malformed file gets a {@link FormatError} naming the field.
 */
export function parsePublishedTwin(json: unknown, file: string): CascadeEnsembleSpec {
  const o = json as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new FormatError(
      `${file}: not a twin file of the published format: ${what}`,
      "pass a twin written by `sdfl twin train` or a published twin such as twins/chem1.json",
    );
  };
  if (!o || typeof o !== "object") fail("the file is not a JSON object");
  if (!Array.isArray(o.inputs) || o.inputs.length === 0) fail('"inputs" must be a list of input names');
  const inputs = o.inputs as string[];
  if (!Array.isArray(o.inputBounds) || o.inputBounds.length !== inputs.length) fail('"inputBounds" must hold one [lo, hi] per input');
  const inputBounds = (o.inputBounds as unknown[]).map((b, i) => {
    if (!Array.isArray(b) || b.length !== 2 || !(b[0] < b[1])) fail(`"inputBounds"[${i}] must be [lo, hi] with lo < hi`);
    return [Number((b as number[])[0]), Number((b as number[])[1])] as [number, number];
  });
  const outputs = (o.outputs as string[]) ?? ["Abs300nm", "PLA"];
  if (!Array.isArray(outputs) || outputs.length !== 2 || outputs[0] !== "Abs300nm" || outputs[1] !== "PLA") fail('"outputs" must be ["Abs300nm", "PLA"]');
  const sc = o.outputScaling as { min?: number[]; max?: number[] } | undefined;
  if (!sc || !Array.isArray(sc.min) || !Array.isArray(sc.max) || sc.min.length !== 2 || sc.max.length !== 2)
    fail('"outputScaling" must have "min" and "max" with two numbers each');
  const ref = (o.plqyReference as CascadeEnsembleSpec["plqyReference"]) ?? DEFAULT_PLQY_REFERENCE;
  if (!Array.isArray(o.members) || o.members.length === 0) fail('"members" must be a non-empty list');
  const members = (o.members as CascadeMember[]).map((m, k) => {
    if (!m || m.type !== "cascade") fail(`member ${k} has type ${JSON.stringify(m?.type)}; only "cascade" is supported`);
    try {
      checkCascadeShapes(m, inputs.length, 2, `member ${k}`);
    } catch (e) {
      fail((e as Error).message);
    }
    return m;
  });
  return {
    source: typeof o.source === "string" ? o.source : file,
    inputs,
    inputBounds,
    outputs,
    outputScaling: { min: sc!.min!.map(Number), max: sc!.max!.map(Number) },
    plqyReference: ref,
    members,
  };
}

/** Read a file and parse it as JSON, with a clear error for a missing or broken file. */
export function readJsonFile(file: string): unknown {
  if (!existsSync(file)) throw new FormatError(`${file}: file not found`, "check the path of the twin file");
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${file}: not valid JSON (${(e as Error).message})`, "the file may be truncated; retrain or download it again");
  }
}

/** Load a published-format twin file as a plain-JavaScript {@link CascadeEnsembleTwin}. */
export function loadPublishedTwin(file: string): CascadeEnsembleTwin {
  return new CascadeEnsembleTwin(parsePublishedTwin(readJsonFile(file), file));
}
