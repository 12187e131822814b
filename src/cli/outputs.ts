import { accessSync, constants, existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { SdflError, UsageError } from "../core/errors.js";
import type { OptionSpec, ParsedOptions } from "./command.js";

/** The `--force` option of every command that writes results. */
export const FORCE_OPTION: OptionSpec = { type: "boolean", description: "replace existing output files (never an input file)" };

/** What an output check needs to know. */
export interface OutputCheck {
  /** `--force` was given: existing outputs may be replaced. */
  force: boolean;
  /** Files the command reads: never replaced, even with --force. */
  inputs?: readonly string[];
}

/** True when `--force` was given. */
export function forced(opts: ParsedOptions): boolean {
  return opts.force === true;
}

/** The canonical path of a file that may not exist yet (its existing ancestor resolved through links). */
function canonical(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(canonical(parent), relative(parent, abs));
}

/** The nearest existing ancestor of `p` (or p itself). */
function existingAncestor(p: string): string {
  let q = resolve(p);
  while (!existsSync(q) && dirname(q) !== q) q = dirname(q);
  return q;
}

/** Refuse a folder that cannot be created or written: a file in the way, or no write permission. */
function checkFolderWritable(folder: string, flag: string): void {
  const anc = existingAncestor(folder);
  if (!statSync(anc).isDirectory())
    throw new UsageError(`${flag} ${folder}: ${anc} is a file, not a folder`, `choose a ${flag} path whose folders are folders`);
  try {
    accessSync(anc, constants.W_OK | constants.X_OK);
  } catch {
    throw new SdflError(`${flag} ${folder}: cannot write into ${anc} (permission denied)`, `choose a ${flag} in a folder you can write to`);
  }
}

function refuseInput(target: string, flag: string, inputs: readonly string[] | undefined): void {
  const t = canonical(target);
  for (const i of inputs ?? [])
    if (canonical(i) === t)
      throw new UsageError(`${flag} ${target} is also an input of this command; writing it would destroy the input`, `choose another ${flag}`);
}

/**
 * Check a file a command will write, before any work starts: not an input, not a
 * folder, in an existing writable folder, and not an existing file unless --force.
 * @param flag  the option that named it, e.g. "--out"
 */
export function checkOutputFile(file: string, flag: string, o: OutputCheck): void {
  refuseInput(file, flag, o.inputs);
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new UsageError(`${flag} ${file} is a folder; a file name is needed`, `give a file path for ${flag}`);
    if (!o.force)
      throw new SdflError(
        `${flag} ${file} already exists; sdfl does not replace results unless asked`,
        `pass --force to replace it, or choose another ${flag}`,
      );
  }
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) {
    const anc = existingAncestor(dir);
    if (!statSync(anc).isDirectory())
      throw new UsageError(`${flag} ${file}: ${anc} is a file, not a folder`, `choose a ${flag} path whose folders are folders`);
    throw new SdflError(`cannot write ${file}: the folder ${dir} does not exist`, `create it first or choose another ${flag}`);
  }
  checkFolderWritable(dir, flag);
}

/**
 * Check a folder a command will write into, before any work starts. `files` are the
 * names it writes there (relative); when omitted, any existing content counts. An
 * existing file where the folder should be, an unwritable place, an output that is an
 * input, or existing outputs without --force are refused.
 */
export function checkOutputFolder(folder: string, flag: string, o: OutputCheck & { files?: readonly string[] }): void {
  if (existsSync(folder) && !statSync(folder).isDirectory())
    throw new UsageError(`${flag} ${folder} is a file; a folder is needed here`, `choose a folder path for ${flag} (it is created if missing)`);
  checkFolderWritable(folder, flag);
  for (const f of o.files ?? []) refuseInput(join(folder, f), flag, o.inputs);
  if (!existsSync(folder) || o.force) return;
  const present = o.files ? o.files.filter((f) => existsSync(join(folder, f))) : readdirSync(folder);
  if (present.length)
    throw new SdflError(
      `${flag} ${folder} already holds ${present.slice(0, 4).join(", ")}${present.length > 4 ? ", ..." : ""}; sdfl does not replace results unless asked`,
      `pass --force to write into it (files of the same name are replaced), or choose a new folder for ${flag}`,
    );
}
