import { SdflError } from "../core/errors.js";
import type { Lab } from "../bo/lab.js";

/**
 * A lab whose measurements are checked before the campaign journals them: the objective
 * and every outcome must be finite numbers. A NaN from a lab fails that experiment (the runner
 * marks it failed with this message) instead of entering the store as a result.
 */
export function checkedLab<L extends Lab>(lab: L): L {
  const run: Lab["run"] = async (condition, signal) => {
    const m = await lab.run(condition, signal);
    const values: [string, unknown][] = [["objective", m.objective], ...Object.entries(m.outcomes ?? {})];
    for (const [key, v] of values)
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new SdflError(
          `lab ${lab.name} measured ${key} = ${String(v)} at ${JSON.stringify(condition)}; a measurement must be a finite number`,
          "check the lab (for the simulator: its truth twin file) and resume the campaign with --resume",
        );
    return m;
  };
  return new Proxy(lab, {
    get: (target, prop) => {
      if (prop === "run") return run;
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
