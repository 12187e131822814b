import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseOracle, type OracleSpec } from "../src/cli/labs.js";

/** False when the oracle is a twin file (or a fold of one) that no longer exists. */
export function oracleReadable(o: OracleSpec): boolean {
  if (o.kind === "folded") return oracleReadable(o.inner);
  return "file" in o && typeof o.file === "string" ? existsSync(o.file) : true;
}

/** A readable oracle name: published twin names, fold:NAME, the test function's name; a project twin as project:NAME. */
export function oracleLabel(o: OracleSpec): string {
  switch (o.kind) {
    case "folded":
      return `fold:${oracleLabel(o.inner)}`;
    case "twin":
      return (dirname(o.file).endsWith(join("sdfl-2025", "twins")) ? "" : "project:") + o.file.replace(/^.*\//, "").replace(/\.json$/, "");
    case "module":
      return o.file.replace(/^.*\//, "");
    default:
      return o.name;
  }
}

/**
 * The oracle a run log names, readable here: run logs keep absolute paths, so a published
 * twin recorded from another checkout (or a removed worktree) is taken from this checkout's
 * data by its name (the same published file). Anything else is returned as it is, and using
 * it fails with the file's name.
 */
export function readableOracle(o: OracleSpec): OracleSpec {
  if (oracleReadable(o)) return o;
  const label = oracleLabel(o);
  if (label.includes("project:")) return o;
  try {
    const here = parseOracle(label);
    return oracleReadable(here) ? here : o;
  } catch {
    return o;
  }
}
