import { readFileSync, existsSync } from "node:fs";
import { FormatError } from "../core/errors.js";
import { finiteField, MIN_MEMBERS, validateMember } from "./validateTwin.js";
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
  if (!o || typeof o !== "object" || Array.isArray(o)) fail("the file is not a JSON object");
  if (!Array.isArray(o.inputs) || o.inputs.length === 0) fail('"inputs" must be a list of input names');
  const inputs = o.inputs as unknown[];
  inputs.forEach((name, i) => {
    if (typeof name !== "string" || name === "") fail(`"inputs"[${i}] must be a name, got ${JSON.stringify(name)}`);
    if (inputs.indexOf(name) !== i) fail(`"inputs" names ${JSON.stringify(name)} twice`);
  });
  if (!Array.isArray(o.inputBounds) || o.inputBounds.length !== inputs.length) fail('"inputBounds" must hold one [lo, hi] per input');
  const inputBounds = (o.inputBounds as unknown[]).map((b, i) => {
    if (!Array.isArray(b) || b.length !== 2) fail(`"inputBounds"[${i}] must be [lo, hi]`);
    const [lo, hi] = [finiteField((b as unknown[])[0], `inputBounds[${i}][0]`, file), finiteField((b as unknown[])[1], `inputBounds[${i}][1]`, file)];
    if (!(lo < hi)) fail(`"inputBounds"[${i}] = [${lo}, ${hi}] must have lo < hi`);
    return [lo, hi] as [number, number];
  });
  const outputs = (o.outputs as string[]) ?? ["Abs300nm", "PLA"];
  if (!Array.isArray(outputs) || outputs.length !== 2 || outputs[0] !== "Abs300nm" || outputs[1] !== "PLA") fail('"outputs" must be ["Abs300nm", "PLA"]');
  const sc = o.outputScaling as { min?: unknown[]; max?: unknown[] } | undefined;
  if (!sc || typeof sc !== "object" || !Array.isArray(sc.min) || !Array.isArray(sc.max) || sc.min.length !== 2 || sc.max.length !== 2)
    fail('"outputScaling" must have "min" and "max" with two numbers each');
  const min = sc!.min!.map((v, i) => finiteField(v, `outputScaling.min[${i}]`, file));
  const max = sc!.max!.map((v, i) => finiteField(v, `outputScaling.max[${i}]`, file));
  for (let i = 0; i < 2; i++)
    if (!(max[i] > min[i])) fail(`"outputScaling" of ${outputs[i]} has max ${max[i]} <= min ${min[i]}; the scaling range must be positive`);
  const refIn = o.plqyReference ?? DEFAULT_PLQY_REFERENCE;
  if (!refIn || typeof refIn !== "object") fail('"plqyReference" must be an object with plqy, abs and area');
  const r = refIn as Record<string, unknown>;
  const ref = {
    plqy: finiteField(r.plqy, "plqyReference.plqy", file),
    abs: finiteField(r.abs, "plqyReference.abs", file),
    area: finiteField(r.area, "plqyReference.area", file),
  };
  if (!(ref.plqy > 0 && ref.abs > 0 && ref.area > 0)) fail('"plqyReference" plqy, abs and area must be positive');
  if (!Array.isArray(o.members) || o.members.length === 0) fail('"members" must be a non-empty list');
  const raw = o.members as unknown[];
  if (raw.length < MIN_MEMBERS)
    throw new FormatError(
      `${file}: the twin has ${raw.length} member; at least ${MIN_MEMBERS} are needed, since its uncertainty is the standard deviation over members`,
      "train a twin with --members 2 or more",
    );
  const members = raw.map((m, k) => {
    validateMember(m, inputs.length, 2, file, k);
    return m;
  });
  return {
    source: typeof o.source === "string" ? o.source : file,
    inputs: inputs as string[],
    inputBounds,
    outputs,
    outputScaling: { min, max },
    plqyReference: ref,
    members,
  };
}

/** Read a file and parse it as JSON, with a clear error for a missing or broken file. */
export function readJsonFile(file: string): unknown {
  if (!existsSync(file)) throw new FormatError(`${file}: file not found`, "check the path of the twin file");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "EISDIR"
        ? "is a folder, not a file"
        : code === "EACCES"
          ? "cannot be read (permission denied)"
          : `cannot be read (${code ?? (e as Error).message})`;
    throw new FormatError(`${file}: ${why}`, "give the path of a twin JSON file you can read");
  }
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
