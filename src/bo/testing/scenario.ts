import fc from "fast-check";
import { Rng } from "../../core/rng.js";
import { denormalize, fromArray, type Condition, type SearchSpace } from "../problem/space.js";
import type { Observation } from "../strategy.js";

/**
 * The space the properties run in by default: five inputs with unequal ranges and a
 * resolution step (the shape of a typical flow-reactor space), no constraints.
 */
export const TEST_SPACE: SearchSpace = {
  inputs: [
    { name: "x1", unit: "", bounds: [120, 180], resolution: 0.1 },
    { name: "x2", unit: "", bounds: [80, 120], resolution: 0.1 },
    { name: "x3", unit: "", bounds: [80, 120], resolution: 0.1 },
    { name: "x4", unit: "", bounds: [20, 80], resolution: 0.1 },
    { name: "x5", unit: "", bounds: [220, 280], resolution: 0.1 },
  ],
  constraints: [],
};

/** {@link TEST_SPACE} with an active two-sided linear constraint: 700 <= 1.5 (x2 + x3 + x4 + x5) <= 800. */
export const CONSTRAINED_SPACE: SearchSpace = {
  inputs: TEST_SPACE.inputs,
  constraints: [
    { label: "weighted sum", text: "700 <= 1.5 * (x2 + x3 + x4 + x5) <= 800", coef: { x2: 1.5, x3: 1.5, x4: 1.5, x5: 1.5 }, constant: 0, min: 700, max: 800 },
  ],
};

/** A random situation a strategy may be asked in. */
export interface Scenario {
  space: SearchSpace;
  seed: number;
  observations: Observation[];
  pending: Condition[];
  n: number;
  exploit: boolean;
}

// Coordinates sometimes exactly on a bound, so observations land on faces and corners of the box.
const unitCoordinate = fc.oneof({ weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) });
const unitPoint = (d: number) => fc.array(unitCoordinate, { minLength: d, maxLength: d });

/**
 * fast-check arbitrary of scenarios: the default or the constrained space, 0 to `maxObservations`
 * observations of a smooth random objective anywhere in the box (coordinates on a bound one
 * time in five; the objective's peak at a box corner one time in three, where the
 * posterior and acquisition maxima often sit on an observed point), 0 to 2 pending points
 * (sometimes repeating an observed one), n = 1 to 3 proposals, exploit or not.
 */
export function scenarioArbitrary(maxObservations = 8, spaces: readonly SearchSpace[] = [TEST_SPACE, CONSTRAINED_SPACE]): fc.Arbitrary<Scenario> {
  const d = spaces[0].inputs.length;
  return fc
    .record({
      spaceIndex: fc.integer({ min: 0, max: spaces.length - 1 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      obs: fc.array(unitPoint(d), { minLength: 0, maxLength: maxObservations }),
      pend: fc.array(unitPoint(d), { minLength: 0, maxLength: 2 }),
      repeatObserved: fc.boolean(),
      n: fc.integer({ min: 1, max: 3 }),
      exploit: fc.boolean(),
      valueSeed: fc.integer({ min: 0, max: 1000 }),
    })
    .map((r) => {
      const space = spaces[r.spaceIndex];
      const rng = new Rng(r.valueSeed);
      const peakAtCorner = r.valueSeed % 3 === 0;
      const c = Array.from({ length: d }, () => (peakAtCorner ? Math.round(rng.uniform()) : rng.uniform()));
      const observations: Observation[] = r.obs.map((z) => ({
        condition: fromArray(space, denormalize(space, z)),
        objective: 0.3 - (0.2 * z.reduce((s, v, i) => s + (v - c[i]) ** 2, 0)) / d + 0.005 * rng.normal(),
      }));
      const pending = r.pend.map((z) => fromArray(space, denormalize(space, z)));
      if (r.repeatObserved && observations.length > 0) pending.push(observations[0].condition);
      return { space, seed: r.seed, observations, pending, n: r.n, exploit: r.exploit };
    });
}
