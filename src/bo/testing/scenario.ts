import fc from "fast-check";
import type { Condition, SearchSpace } from "../problem/space.js";
import { describeObjective, objectivesFor, type TestObjective } from "./objectives.js";
import { conditionAt, dimension, SUITE_SPACES, type NamedSpace } from "./spaces.js";

export { CONSTRAINED_SPACE } from "./spaces.js";

/** One ask of a campaign scenario. */
export interface ScenarioStep {
  /** Oldest pending experiments that finish (are measured and told) before this ask. */
  finish: number;
  /** Proposals asked for. */
  n: number;
  exploit: boolean;
}

/**
 * A multi-step campaign a strategy is run through: initial observations, pending points
 * queued by someone else, then asks while earlier proposals stay pending and some finish.
 */
export interface Scenario {
  spaceName: string;
  space: SearchSpace;
  /** Seed handed to the strategy. */
  seed: number;
  /** The true objective; observations are its values plus noise (sd `noise`). */
  objective: TestObjective;
  noise: number;
  /** Seed of the measurement noise. */
  noiseSeed: number;
  /** Conditions measured before the first ask. */
  initial: Condition[];
  /** Conditions pending before the first ask (may repeat an initial one). */
  pending: Condition[];
  steps: ScenarioStep[];
}

/** Limits of the scenario arbitrary. */
export interface ScenarioLimits {
  /** Spaces to draw from. Default {@link SUITE_SPACES}. */
  spaces?: readonly NamedSpace[];
  minInitial?: number;
  /** Default 8. */
  maxInitial?: number;
  /** Asks per campaign, at most. Default 4. */
  maxSteps?: number;
  /** Batch size at most. Default 3. */
  maxBatch?: number;
}

// Coordinates sometimes exactly on a bound, so observations land on faces and corners of the box.
const unitCoordinate = fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) });

/** Readable one-paragraph description of a scenario (what fast-check prints for a counterexample). */
export function describeScenario(s: Scenario): string {
  const steps = s.steps.map((st) => `${st.finish > 0 ? `${st.finish} finish, ` : ""}ask ${st.n}${st.exploit ? " (exploit)" : ""}`).join("; ");
  return (
    `space ${s.spaceName}, strategy seed ${s.seed}, objective ${describeObjective(s.objective, s.space)}, ` +
    `${s.initial.length} initial observations, ${s.pending.length} pending at start, steps: ${steps}`
  );
}

/**
 * fast-check arbitrary of campaign scenarios. Shrinks towards fewer observations, fewer steps,
 * single proposals and the first space.
 */
export function scenarioArbitrary(limits: ScenarioLimits = {}): fc.Arbitrary<Scenario> {
  const spaces = limits.spaces ?? SUITE_SPACES;
  return fc.integer({ min: 0, max: spaces.length - 1 }).chain((k) => {
    const { name, space } = spaces[k];
    const d = dimension(space);
    const unitPoint = fc.array(unitCoordinate, { minLength: d, maxLength: d });
    return fc
      .record({
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        objective: objectivesFor(space),
        noiseSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        initial: fc.array(unitPoint, { minLength: limits.minInitial ?? 0, maxLength: limits.maxInitial ?? 8 }),
        pending: fc.array(unitPoint, { maxLength: 2 }),
        repeatObserved: fc.boolean(),
        steps: fc.array(fc.record({ finish: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 1, max: limits.maxBatch ?? 3 }), exploit: fc.boolean() }), {
          minLength: 1,
          maxLength: limits.maxSteps ?? 4,
        }),
      })
      .map((r) => {
        const initial = r.initial.map((z) => conditionAt(space, z));
        const pending = r.pending.map((z) => conditionAt(space, z));
        if (r.repeatObserved && initial.length > 0) pending.push({ ...initial[0] });
        const s: Scenario = {
          spaceName: name,
          space,
          seed: r.seed,
          objective: r.objective,
          noise: 0.005,
          noiseSeed: r.noiseSeed,
          initial,
          pending,
          steps: r.steps,
        };
        return Object.assign(s, { [fc.toStringMethod]: () => describeScenario(s) });
      });
  });
}
