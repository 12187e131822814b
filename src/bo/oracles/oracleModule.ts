import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { SdflError } from "../../core/errors.js";
import { parseProblem } from "../problem/parseProblem.js";
import type { Problem } from "../problem/problem.js";
import type { Condition } from "../problem/space.js";

/** A failure of a user oracle module's evaluate() (it threw, or returned something other than finite numbers): the module's fault, not sdfl's. */
export class OracleModuleFault extends SdflError {}

/** A user oracle loaded from a module: its problem, its true objective, and optionally the known optimum. */
export interface OracleModule {
  file: string;
  problem: Problem;
  /** True objective values, one per condition (conditions keyed by input name). */
  evaluate(conditions: readonly Condition[]): number[];
  /** The known best objective value (largest for a maximize problem, smallest for minimize), if the module gives it. */
  optimum?: number;
}

const HINT =
  "the module's default export must be { problem, evaluate(conditions) => numbers, optimum? }: problem as in docs/problem.md (outcomes and objective may be left out: one outcome f, maximised), evaluate synchronous";

/**
 * Load an oracle module (.mjs/.js): `export default { problem, evaluate, optimum? }`. The
 * problem is validated like a problem file; without `outcomes` and `objective` it has one
 * outcome `f` that is maximised. `max` is accepted for `optimum`. Errors name the file.
 */
export async function loadOracleModule(path: string): Promise<OracleModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new SdflError(`oracle module ${file} not found`, "check the path of the oracle module");
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    throw new SdflError(`oracle module ${file} could not be loaded: ${(e as Error).message}`, HINT);
  }
  const d = mod.default as { problem?: unknown; evaluate?: unknown; optimum?: unknown; max?: unknown } | undefined;
  if (!d || typeof d !== "object") throw new SdflError(`oracle module ${file} has no default-exported object`, HINT);
  if (typeof d.evaluate !== "function") throw new SdflError(`oracle module ${file}: evaluate is not a function`, HINT);
  if (!d.problem || typeof d.problem !== "object") throw new SdflError(`oracle module ${file}: problem is missing`, HINT);
  const def = { ...(d.problem as Record<string, unknown>) };
  if (def.outcomes === undefined && def.objective === undefined) {
    def.outcomes = [{ name: "f", unit: "" }];
    def.objective = { outcome: "f", goal: "maximize" };
  }
  def.name ??= file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(m|c)?js$/, "");
  const problem = parseProblem(def, `${file} (problem)`);
  const optimum = d.optimum ?? d.max;
  if (optimum !== undefined && (typeof optimum !== "number" || !Number.isFinite(optimum))) {
    throw new SdflError(`oracle module ${file}: optimum must be a finite number, got ${String(optimum)}`, HINT);
  }
  const evaluate = d.evaluate as (c: readonly Condition[]) => unknown;
  return {
    file,
    problem,
    evaluate: (conditions) => {
      const where = `${JSON.stringify(conditions[0])}${conditions.length > 1 ? ` (and ${conditions.length - 1} more)` : ""}`;
      let v: unknown;
      try {
        v = evaluate(conditions.map((c) => ({ ...c })));
      } catch (e) {
        throw new OracleModuleFault(`oracle module ${file}: evaluate threw for ${where}: ${(e as Error)?.message ?? String(e)}`, "fix the module's evaluate()");
      }
      if (v instanceof Promise)
        throw new OracleModuleFault(`oracle module ${file}: evaluate returned a Promise`, "evaluate must be synchronous and return numbers");
      if (!Array.isArray(v) || v.length !== conditions.length)
        throw new OracleModuleFault(
          `oracle module ${file}: evaluate returned ${Array.isArray(v) ? `${v.length} values` : typeof v} for ${conditions.length} condition(s)`,
          "return one number per condition, in order",
        );
      const bad = v.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
      if (bad >= 0)
        throw new OracleModuleFault(
          `oracle module ${file}: evaluate returned ${String(v[bad])} for ${JSON.stringify(conditions[bad])}`,
          "return a finite number per condition",
        );
      return v as number[];
    },
    ...(optimum !== undefined ? { optimum: optimum as number } : {}),
  };
}
