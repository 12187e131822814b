import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DataError } from "../core/errors.js";
import { packageRoot } from "../core/packageRoot.js";

/** The copy of the published data set that ships with sdfl (data/sdfl-2025 in the repository). */
export function shippedDataRoot(): string {
  return join(packageRoot(), "data", "sdfl-2025");
}

/** Where the published data set (DOI 10.5281/zenodo.15283084) is looked for, in order. */
export function dataRootCandidates(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const out: string[] = [];
  if (env.SDFL_DATA) out.push(resolve(cwd, env.SDFL_DATA));
  out.push(shippedDataRoot());
  return out;
}

/** The first existing data root: $SDFL_DATA, else the shipped data/sdfl-2025. */
export function findDataRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const candidates = dataRootCandidates(env, cwd);
  for (const c of candidates) if (existsSync(c) && statSync(c).isDirectory()) return c;
  throw new DataError(
    { file: candidates[0] },
    `the published data set was not found (looked in ${candidates.join(", ")})`,
    "sdfl ships the published data in data/sdfl-2025: restore that folder (git checkout data), or pass --data DIR or set SDFL_DATA to a copy of DOI 10.5281/zenodo.15283084",
  );
}

/**
 * Resolve a `--data` argument to a folder holding inputs.csv and outputs.csv.
 * Accepts a chemistry shorthand ("chem3", resolved inside the data root), a data root
 * (then `defaultChemistry` is used), or a folder with the two CSV files.
 */
export function resolveDatasetDir(arg: string | undefined, defaultChemistry = "chem3", env = process.env, cwd = process.cwd()): string {
  if (arg === undefined || arg === "") return join(findDataRoot(env, cwd), "lhs", defaultChemistry);
  if (/^chem\d+$/i.test(arg) && !existsSync(resolve(cwd, arg))) {
    return join(findDataRoot(env, cwd), "lhs", arg.toLowerCase());
  }
  const dir = resolve(cwd, arg);
  if (!existsSync(dir)) {
    throw new DataError(
      { file: dir },
      "data folder not found",
      "give --data a folder holding inputs.csv and outputs.csv, a data root, or a chemistry name such as chem3",
    );
  }
  if (existsSync(join(dir, "inputs.csv"))) return dir;
  if (existsSync(join(dir, "lhs", defaultChemistry))) return join(dir, "lhs", defaultChemistry);
  return dir; // the loader reports the missing file precisely
}

/** Resolve the path of a published twin ("chem1" -> <root>/twins/chem1.json) or return the path as given. */
export function resolveTwinPath(arg: string, env = process.env, cwd = process.cwd()): string {
  if (/^chem\d+$/i.test(arg) && !existsSync(resolve(cwd, arg))) return join(findDataRoot(env, cwd), "twins", `${arg.toLowerCase()}.json`);
  return resolve(cwd, arg);
}
