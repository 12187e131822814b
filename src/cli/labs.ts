/**
 * Wiring: builds labs and benchmark oracles from names and files. Lives outside src/bo
 * because the twin-backed lab is the simulator (src/sim), which src/bo must not import.
 */
import { existsSync } from "node:fs";
import { UsageError } from "../core/errors.js";
import { SimulatedLab } from "../sim/simulatedLab.js";
import { Rng } from "../core/rng.js";
import type { BenchmarkLab, Lab } from "../bo/lab.js";
import { SyntheticLab } from "../bo/oracles/syntheticLab.js";
import { TEST_FUNCTIONS as CLASSIC_TEST_FUNCTIONS, type TestFunction } from "../bo/oracles/testFunctions.js";
import { STYBLINSKI_TANG5 } from "../bo/oracles/interiorFunctions.js";
import { DEFAULT_FOLD_CENTER, FoldedLab } from "../bo/oracles/foldedLab.js";
import { searchMaximum } from "../bo/bench/oracleMax.js";
import type { OracleInfo } from "../bo/bench/summary.js";
import { resolveTwinPath } from "../twin/dataPaths.js";
import { DEFAULT_SPACE, denormalize, normalize, type SearchSpace } from "../twin/space.js";

/** The test functions oracles and campaigns accept by name. */
const TEST_FUNCTIONS: Record<string, TestFunction> = { ...CLASSIC_TEST_FUNCTIONS, "styblinski-tang": STYBLINSKI_TANG5 };

/**
 * An oracle or lab as data (serialisable, so worker threads can rebuild it). "folded" is
 * another oracle evaluated through a fold of its input box (`fold:chem1`): its maximum
 * moves from wherever it was (a corner, for the published twins) to inside the box.
 */
export type OracleSpec = { kind: "function"; name: string } | { kind: "twin"; file: string } | { kind: "folded"; inner: OracleSpec };

/** Names of the built-in test-function oracles. */
export const TEST_FUNCTION_NAMES = Object.keys(TEST_FUNCTIONS);

/**
 * Parse `--oracle`: a test function ("branin", "hartmann6"), a published twin name
 * ("chem1"), or a twin file. A missing file is an {@link SdflError} naming it.
 */
export function parseOracle(arg: string, env = process.env, cwd = process.cwd()): OracleSpec {
  const name = arg.trim().toLowerCase();
  if (name.startsWith("fold:")) return { kind: "folded", inner: parseOracle(arg.trim().slice(5), env, cwd) };
  if (TEST_FUNCTIONS[name]) return { kind: "function", name };
  const file = resolveTwinPath(arg, env, cwd);
  if (!existsSync(file)) {
    throw new UsageError(
      `oracle "${arg}": no such twin file (${file})`,
      `give a twin file, a published twin name such as chem1, or one of ${TEST_FUNCTION_NAMES.join(", ")}; prefix fold: for the folded (interior-optimum) version, e.g. fold:chem1`,
    );
  }
  return { kind: "twin", file };
}

/** Build a noisy benchmark lab for one run. All noise draws come from `seed`. */
export async function buildBenchmarkLab(spec: OracleSpec, o: { noise: number; seed: number; space?: SearchSpace }): Promise<BenchmarkLab> {
  if (spec.kind === "function") return new SyntheticLab(TEST_FUNCTIONS[spec.name], { noise: o.noise, seed: o.seed, space: o.space ?? DEFAULT_SPACE });
  if (spec.kind === "folded") return buildFoldedLab(spec.inner, o);
  return buildTwinLab(spec.file, o);
}

/** Inner argmax (unit cube) per oracle, found once per process: the fold needs it and the search takes about a second. */
const innerArgmax = new Map<string, number[]>();

/**
 * A folded oracle: the inner oracle's maximum (found by a seeded search of 4,000 samples
 * and 3 compass searches) is moved to {@link DEFAULT_FOLD_CENTER} by the tent fold.
 */
async function buildFoldedLab(inner: OracleSpec, o: { noise: number; seed: number; space?: SearchSpace }): Promise<BenchmarkLab> {
  const space = o.space ?? DEFAULT_SPACE;
  const key = JSON.stringify(inner);
  let target = innerArgmax.get(key);
  if (!target) {
    const probe = await buildBenchmarkLab(inner, { noise: 0, seed: 0, space });
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
 */
export async function buildTwinLab(
  file: string,
  o: { noise: number | string; seed: number; space?: SearchSpace; mode?: "steady" | "physics" },
): Promise<BenchmarkLab> {
  return SimulatedLab.fromTwin(file, { mode: o.mode ?? "steady", noise: String(o.noise), seed: o.seed, space: o.space });
}

/** Lab names `sdfl campaign --lab` accepts. */
export const CAMPAIGN_LABS = ["sim", ...TEST_FUNCTION_NAMES] as const;

/** Build the lab of a campaign: "sim" (the simulator with `twin` as truth) or a test function. */
export async function buildCampaignLab(name: string, o: { twin?: string; noise: string; seed: number; mode?: "steady" | "physics" }): Promise<BenchmarkLab> {
  if (name === "sim") {
    if (!o.twin) throw new UsageError("--lab sim needs a twin as its truth model", "pass --twin FILE or a published twin name such as chem1");
    return buildTwinLab(o.twin, o);
  }
  if (TEST_FUNCTIONS[name]) {
    const noise = o.noise === "measured" ? 0.04 : o.noise === "none" ? 0 : Number(o.noise);
    if (!(noise >= 0 && noise < 1))
      throw new UsageError(`--noise ${o.noise} is not a relative standard deviation for a test-function lab`, "use a number from 0 to 0.5, e.g. --noise 0.04");
    return buildBenchmarkLab({ kind: "function", name }, { noise, seed: o.seed });
  }
  throw new UsageError(`--lab ${name} is not a known lab`, `choose one of ${CAMPAIGN_LABS.join(", ")}`);
}

/**
 * Describe an oracle for results.json, with its maximum found by a thorough search
 * (random samples + compass search from the best). Test functions also carry their
 * known maximum, and the larger of the two is reported.
 */
export async function describeOracle(spec: OracleSpec, o: { quick: boolean; space?: SearchSpace }): Promise<OracleInfo> {
  const space = o.space ?? DEFAULT_SPACE;
  const lab = await buildBenchmarkLab(spec, { noise: 0, seed: 0, space });
  try {
    const found = searchMaximum((c) => lab.evaluateTrue(c), space, new Rng(20251125), o.quick ? { samples: 2000, starts: 3 } : { samples: 20_000, starts: 10 });
    if (spec.kind === "folded") {
      return {
        name: `fold-${oracleLabel(spec.inner)}`,
        kind: "folded",
        inner: spec.inner,
        fold: (lab as FoldedLab).fold,
        lab: lab.name,
        max: found.value,
        argmax: found.condition,
        maxSearch: found.search,
      };
    }
    if (spec.kind === "function") {
      const fn = TEST_FUNCTIONS[spec.name];
      const known = lab.evaluateTrue([Object.fromEntries(space.inputs.map((s, i) => [s.name, denormalize(space, fn.argmax)[i]])) as never])[0];
      const useKnown = known >= found.value;
      return {
        name: spec.name,
        kind: "test-function",
        embedding: fn.embedding,
        objective: "0.3 (f - fmin) / (fmax - fmin), f the negated classic function",
        classic: { fmax: fn.max, fmin: fn.min },
        max: useKnown ? known : found.value,
        argmax: useKnown ? denormalize(space, fn.argmax) : found.condition,
        maxSearch: { ...found.search, value: found.value },
      };
    }
    return {
      name: oracleLabel(spec),
      kind: "twin",
      file: spec.file,
      lab: lab.name,
      max: found.value,
      argmax: found.condition,
      maxSearch: found.search,
    };
  } finally {
    await lab.close();
  }
}

/** Short name of an oracle: the function's name, or the twin file's name without .json. */
function oracleLabel(spec: OracleSpec): string {
  if (spec.kind === "function") return spec.name;
  if (spec.kind === "folded") return `fold-${oracleLabel(spec.inner)}`;
  return spec.file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.json$/, "");
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
