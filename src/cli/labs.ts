/**
 * Wiring: builds labs and benchmark oracles from names and files. Lives outside src/bo
 * because the twin-backed lab is the simulator (src/sim), which src/bo must not import.
 * Oracles: the simulator with a twin as truth, the classic test problems at their own
 * dimension (branin 2-D, hartmann6 6-D), test functions embedded in the paper's five-input
 * space (`*-reactor5d`, styblinski-tang), user oracle modules (FILE.mjs), and folds of these.
 */
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { UsageError } from "../core/errors.js";
import { SimulatedLab } from "../sim/simulatedLab.js";
import { Rng } from "../core/rng.js";
import type { BenchmarkLab, Lab } from "../bo/lab.js";
import { SyntheticLab } from "../bo/oracles/syntheticLab.js";
import { TEST_FUNCTIONS as CLASSIC_TEST_FUNCTIONS, type TestFunction } from "../bo/oracles/testFunctions.js";
import { TEST_PROBLEMS } from "../bo/oracles/testProblems.js";
import { FunctionLab } from "../bo/oracles/functionLab.js";
import { loadOracleModule } from "../bo/oracles/oracleModule.js";
import { STYBLINSKI_TANG5 } from "../bo/oracles/interiorFunctions.js";
import { DEFAULT_FOLD_CENTER, FoldedLab } from "../bo/oracles/foldedLab.js";
import { searchMaximum } from "../bo/bench/oracleMax.js";
import type { OracleInfo } from "../bo/bench/summary.js";
import { parseProblem } from "../bo/problem/parseProblem.js";
import type { Problem } from "../bo/problem/problem.js";
import { denormalize, normalize, toArray } from "../bo/problem/space.js";
import { resolveTwinPath } from "../twin/dataPaths.js";
import { PAPER_PROBLEM } from "../twin/space.js";
import { isProblemTwinFile } from "../twin/generic/anyTwin.js";
import { readProblemTwin } from "../twin/generic/problemTwinFile.js";
import { ProblemTwinLab } from "../sim/problemTwinLab.js";

/** Suffix of the classic test functions embedded in the paper's five-input space (maximised, scaled to [0, 0.3]). */
const EMBEDDED = "-reactor5d";

/** Test functions on the paper's five-input space, by oracle name ("branin-reactor5d", "styblinski-tang"). */
const EMBEDDED_FUNCTIONS: Record<string, TestFunction> = {
  ...Object.fromEntries(Object.entries(CLASSIC_TEST_FUNCTIONS).map(([n, f]) => [`${n}${EMBEDDED}`, f])),
  "styblinski-tang": STYBLINSKI_TANG5,
};

/**
 * An oracle or lab as data (serialisable, so worker threads can rebuild it). "problem" is
 * a classic test problem at its own dimension; "function" a test function on the paper's
 * five-input space; "module" a user oracle module; "folded" another oracle evaluated
 * through a fold of its input box (`fold:chem1`): its maximum moves from wherever it was
 * (a corner, for the published twins) to inside the box.
 */
export type OracleSpec =
  | { kind: "problem"; name: string }
  | { kind: "function"; name: string }
  | { kind: "module"; file: string }
  | { kind: "twin"; file: string }
  | { kind: "folded"; inner: OracleSpec };

/** Names of the built-in test oracles: the classic problems at their own dimension, then the paper-space ones. */
const TEST_FUNCTION_NAMES = [...Object.keys(TEST_PROBLEMS), ...Object.keys(EMBEDDED_FUNCTIONS)];

/** True when `arg` names a JavaScript module file (an oracle module). */
export const isModuleFile = (arg: string): boolean => /\.(m|c)?js$/i.test(arg.trim());

/**
 * Parse `--oracle`: a test problem ("branin" 2-D, "hartmann6" 6-D), a test function on the
 * paper's space ("branin-reactor5d", "styblinski-tang"), an oracle module ("./f.mjs"), a
 * published twin name ("chem1") or a twin file; `fold:` before any of them folds it. A
 * missing file is a {@link UsageError} naming it.
 */
export function parseOracle(arg: string, env = process.env, cwd = process.cwd()): OracleSpec {
  const name = arg.trim().toLowerCase();
  if (name.startsWith("fold:")) return { kind: "folded", inner: parseOracle(arg.trim().slice(5), env, cwd) };
  if (TEST_PROBLEMS[name]) return { kind: "problem", name };
  if (EMBEDDED_FUNCTIONS[name]) return { kind: "function", name };
  if (isModuleFile(arg)) {
    const file = resolve(cwd, arg.trim());
    if (!existsSync(file))
      throw new UsageError(
        `oracle module ${arg}: file not found (${file})`,
        "give the path of a .mjs file whose default export is { problem, evaluate(conditions), optimum? }",
      );
    return { kind: "module", file };
  }
  const file = resolveTwinPath(arg, env, cwd);
  if (!existsSync(file)) {
    throw new UsageError(
      `oracle "${arg}": no such twin file (${file})`,
      `give a twin file, a published twin name such as chem1, an oracle module FILE.mjs, or one of ${TEST_FUNCTION_NAMES.join(", ")}; prefix fold: for the folded (interior-optimum) version, e.g. fold:chem1`,
    );
  }
  return { kind: "twin", file };
}

/** The problem an oracle poses: the paper's for twins and paper-space functions, the test problem's or the module's own otherwise. */
export async function problemOfOracle(spec: OracleSpec): Promise<Problem> {
  switch (spec.kind) {
    case "twin":
      // A twin of your own problem poses its problem; the paper's twins the reactor's.
      return isProblemTwinFile(spec.file) ? readProblemTwin(spec.file).twin.problem : PAPER_PROBLEM;
    case "problem":
      return parseProblem(TEST_PROBLEMS[spec.name].problem, spec.name);
    case "function":
      return parseProblem(
        {
          ...PAPER_PROBLEM.definition,
          name: spec.name,
          description: `${EMBEDDED_FUNCTIONS[spec.name].name} on the unit cube of the paper's five inputs, maximised, scaled to [0, 0.3]`,
          outcomes: [{ name: "f", unit: "" }],
          objective: { name: "f", outcome: "f", goal: "maximize" },
        },
        spec.name,
      );
    case "module":
      return (await loadOracleModule(spec.file)).problem;
    case "folded":
      return problemOfOracle(spec.inner);
  }
}

/** Build a noisy benchmark lab for one run. All noise draws come from `seed`. */
export async function buildBenchmarkLab(spec: OracleSpec, o: { noise: number; seed: number }): Promise<BenchmarkLab> {
  switch (spec.kind) {
    case "twin":
      return buildTwinLab(spec.file, o);
    case "function":
      return new SyntheticLab(EMBEDDED_FUNCTIONS[spec.name], { noise: o.noise, seed: o.seed, space: PAPER_PROBLEM.space });
    case "problem": {
      const t = TEST_PROBLEMS[spec.name];
      const problem = await problemOfOracle(spec);
      return new FunctionLab(problem, (cs) => cs.map((c) => t.f(toArray(problem.space, c))), { name: spec.name, noise: o.noise, seed: o.seed });
    }
    case "module": {
      const m = await loadOracleModule(spec.file);
      return new FunctionLab(m.problem, m.evaluate, { name: moduleName(spec.file), noise: o.noise, seed: o.seed });
    }
    case "folded":
      return buildFoldedLab(spec.inner, o);
  }
}

/** Inner argmax (unit cube) per oracle, found once per process: the fold needs it and the search takes about a second. */
const innerArgmax = new Map<string, number[]>();

/**
 * A folded oracle: the inner oracle's maximum (found by a seeded search of 4,000 samples
 * and 3 compass searches) is moved to {@link DEFAULT_FOLD_CENTER} by the tent fold. Only
 * maximize problems are folded (the fold moves the maximum).
 */
async function buildFoldedLab(inner: OracleSpec, o: { noise: number; seed: number }): Promise<BenchmarkLab> {
  const problem = await problemOfOracle(inner);
  if (problem.objective.goal !== "maximize")
    throw new UsageError(
      `fold:${oracleLabel(inner)}: only an oracle whose objective is maximised can be folded`,
      "fold a twin or a paper-space test function, e.g. fold:chem1",
    );
  const space = problem.space;
  const key = JSON.stringify(inner);
  let target = innerArgmax.get(key);
  if (!target) {
    const probe = await buildBenchmarkLab(inner, { noise: 0, seed: 0 });
    try {
      const found = searchMaximum((c) => probe.evaluateTrue(c), space, new Rng(20251127), { samples: 4000, starts: 3 });
      target = normalize(space, found.condition);
      innerArgmax.set(key, target);
    } finally {
      await probe.close();
    }
  }
  return new FoldedLab(await buildBenchmarkLab(inner, o), { center: DEFAULT_FOLD_CENTER, target }, space);
}

/**
 * The reactor simulator (src/sim) with a twin file as its truth. Benchmarks use the fast
 * steady-state mode with relative noise `noise` on the objective; campaigns may ask for
 * the physics mode (virtual devices, heater dynamics, transients) and the measured noise.
 * A twin of your own problem (`sdfl twin train --problem`) is its own lab
 * ({@link ProblemTwinLab}: mean outcomes, relative noise on each), on `problem` when given.
 */
async function buildTwinLab(file: string, o: { noise: number | string; seed: number; mode?: "steady" | "physics"; problem?: Problem }): Promise<BenchmarkLab> {
  if (isProblemTwinFile(file)) return ProblemTwinLab.fromFile(file, { noise: o.noise, seed: o.seed, ...(o.problem ? { problem: o.problem } : {}) });
  return SimulatedLab.fromTwin(file, { mode: o.mode ?? "steady", noise: String(o.noise), seed: o.seed });
}

/** Lab names `sdfl campaign --lab` accepts besides the live labs and oracle modules: campaigns on the paper's five inputs. */
export const CAMPAIGN_LABS = ["sim", ...Object.keys(EMBEDDED_FUNCTIONS)] as const;

/**
 * Build the lab of a campaign: "sim" (the simulator with `twin` as truth), a test function
 * on the paper's space, or an oracle module (absolute path of a .mjs file) as a
 * {@link FunctionLab} on `problem` (default the module's own problem).
 */
export async function buildCampaignLab(
  name: string,
  o: { twin?: string; noise: string; seed: number; mode?: "steady" | "physics"; problem?: Problem },
): Promise<BenchmarkLab> {
  if (name === "sim") {
    if (!o.twin) throw new UsageError("--lab sim needs a twin as its truth model", "pass --twin FILE or a published twin name such as chem1");
    return buildTwinLab(o.twin, o);
  }
  const noise = () => {
    const v = o.noise === "measured" ? 0.04 : o.noise === "none" ? 0 : Number(o.noise);
    if (!(v >= 0 && v < 1))
      throw new UsageError(`--noise ${o.noise} is not a relative standard deviation for a function lab`, "use a number from 0 to 0.5, e.g. --noise 0.04");
    return v;
  };
  if (isModuleFile(name)) {
    const m = await loadOracleModule(name);
    return new FunctionLab(o.problem ?? m.problem, m.evaluate, { name: moduleName(name), noise: noise(), seed: o.seed });
  }
  // A store written before the classic problems got their own dimension names the 5-D embedded function "branin"/"hartmann6": resume it as such.
  const embedded = EMBEDDED_FUNCTIONS[name] ? name : CLASSIC_TEST_FUNCTIONS[name] ? `${name}${EMBEDDED}` : undefined;
  if (embedded) return buildBenchmarkLab({ kind: "function", name: embedded }, { noise: noise(), seed: o.seed });
  throw new UsageError(`--lab ${name} is not a known lab`, campaignLabHint(name));
}

/**
 * The problem of a campaign on an oracle module: `given` (--problem) must have the module's
 * inputs (free or fixed, any order) and an objective that is one outcome, which is what the
 * module's evaluate() gives; without `given`, the module's own problem.
 */
export async function problemOfLabModule(file: string, given: Problem | undefined, givenFile = "--problem"): Promise<Problem> {
  const m = await loadOracleModule(file);
  if (!given) return m.problem;
  const names = (p: Problem) => [...p.space.inputs.map((s) => s.name), ...p.fixed.map((f) => f.name)].sort();
  if (names(given).join(",") !== names(m.problem).join(","))
    throw new UsageError(
      `${givenFile}: the problem's inputs (${names(given).join(", ")}) are not those of the oracle module ${file} (${names(m.problem).join(", ")})`,
      "give a problem file with the module's inputs (bounds, resolution and constraints may differ), or leave --problem out to use the module's own problem",
    );
  return given;
}

/** What to say about a `--lab` that is not a campaign lab (the classic test problems run in `sdfl bench`). */
export function campaignLabHint(name: string): string {
  if (TEST_PROBLEMS[name])
    return `${name} is the classic ${TEST_PROBLEMS[name].problem.inputs.length}-D problem (sdfl bench --oracle ${name}); a campaign on the reactor's five inputs uses ${name}${EMBEDDED}`;
  return `choose one of ${CAMPAIGN_LABS.join(", ")}, or give an oracle module FILE.mjs (default export { problem, evaluate(conditions) })`;
}

/**
 * Describe an oracle for results.json, with its optimum (the maximum, or the minimum of a
 * minimize problem; reported as `max` with `goal`) found by a thorough search (random
 * samples + compass search from the best). Known optima of test problems and modules are
 * reported when at least as good as the search's.
 */
export async function describeOracle(spec: OracleSpec, o: { quick: boolean }): Promise<OracleInfo> {
  const problem = await problemOfOracle(spec);
  const space = problem.space;
  const goal = problem.objective.goal;
  const sign = goal === "minimize" ? -1 : 1;
  const lab = await buildBenchmarkLab(spec, { noise: 0, seed: 0 });
  try {
    const found = searchMaximum(
      (c) => lab.evaluateTrue(c).map((v) => sign * v),
      space,
      new Rng(20251125),
      o.quick ? { samples: 2000, starts: 3 } : { samples: 20_000, starts: 10 },
    );
    const searched = { value: sign * found.value, condition: found.condition, search: { ...found.search, value: sign * found.value } };
    const atLeastAsGood = (known: number) => sign * known >= sign * searched.value;
    const common = { goal, objective: problem.objective.name, inputs: space.inputs.map((s) => s.name) };
    switch (spec.kind) {
      case "folded":
        return {
          name: oracleLabel(spec),
          kind: "folded",
          ...common,
          inner: spec.inner,
          fold: (lab as FoldedLab).fold,
          lab: lab.name,
          max: searched.value,
          argmax: searched.condition,
          maxSearch: searched.search,
        };
      case "problem": {
        const t = TEST_PROBLEMS[spec.name];
        const useKnown = atLeastAsGood(t.optimum);
        return {
          name: spec.name,
          kind: "test-problem",
          ...common,
          max: useKnown ? t.optimum : searched.value,
          argmax: useKnown ? [...t.argmin] : searched.condition,
          maxSearch: searched.search,
        };
      }
      case "function": {
        const fn = EMBEDDED_FUNCTIONS[spec.name];
        const known = lab.evaluateTrue([Object.fromEntries(space.inputs.map((s, i) => [s.name, denormalize(space, fn.argmax)[i]]))])[0];
        const useKnown = atLeastAsGood(known);
        return {
          name: spec.name,
          kind: "test-function",
          ...common,
          embedding: fn.embedding,
          objective: "0.3 (f - fmin) / (fmax - fmin), f the negated classic function",
          classic: { fmax: fn.max, fmin: fn.min },
          max: useKnown ? known : searched.value,
          argmax: useKnown ? denormalize(space, fn.argmax) : searched.condition,
          maxSearch: searched.search,
        };
      }
      case "module": {
        const m = await loadOracleModule(spec.file);
        const useKnown = m.optimum !== undefined && atLeastAsGood(m.optimum);
        return {
          name: problem.name,
          kind: "module",
          file: spec.file,
          ...common,
          max: useKnown ? m.optimum! : searched.value,
          argmax: useKnown ? [] : searched.condition,
          maxSearch: searched.search,
        };
      }
      case "twin":
        return {
          name: oracleLabel(spec),
          kind: "twin",
          file: spec.file,
          ...common,
          lab: lab.name,
          max: searched.value,
          argmax: searched.condition,
          maxSearch: searched.search,
        };
    }
  } finally {
    await lab.close();
  }
}

/** Name of an oracle module: its file name without the extension. */
const moduleName = (file: string) => basename(file).replace(/\.(m|c)?js$/i, "");

/** Short name of an oracle: the function's name, the module's or twin file's name without extension. */
function oracleLabel(spec: OracleSpec): string {
  if (spec.kind === "function" || spec.kind === "problem") return spec.name;
  if (spec.kind === "folded") return `fold-${oracleLabel(spec.inner)}`;
  if (spec.kind === "module") return moduleName(spec.file);
  return basename(spec.file).replace(/\.json$/, "");
}

/**
 * Fault injection for crash tests: when `SDFL_FAULT_EXIT_AFTER=k` is set, the process
 * exits (code 75) in the middle of experiment k+1, after it was journaled as running
 * and before its result exists, as a power cut or kill would.
 */
export function withFaultInjection(lab: Lab, env: NodeJS.ProcessEnv = process.env): Lab {
  const k = env.SDFL_FAULT_EXIT_AFTER === undefined ? NaN : Number(env.SDFL_FAULT_EXIT_AFTER);
  if (!Number.isInteger(k) || k < 0) return lab;
  let runs = 0;
  return new Proxy(lab, {
    get(target, prop, receiver) {
      if (prop === "run") {
        return async (...args: Parameters<Lab["run"]>) => {
          if (runs++ >= k) process.exit(75);
          return target.run(...args);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}
