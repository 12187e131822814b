import { Rng } from "../../src/core/rng.js";
import { DEFAULT_SPACE, denormalize, paperCondition } from "../../src/twin/space.js";
import type { Observation, Strategy } from "../../src/bo/strategy.js";

/**
 * A tiny seeded random strategy for campaign tests only (the real strategies live in
 * src/bo/strategies). Records what it was told so tests can check resume.
 */
export function testRandomStrategy(seed: number): Strategy & { told: Observation[] } {
  const rng = new Rng(seed);
  const told: Observation[] = [];
  return {
    name: "test-random",
    told,
    async ask(n, _pending, options) {
      return Array.from({ length: n }, () => ({
        condition: paperCondition(
          denormalize(
            DEFAULT_SPACE,
            DEFAULT_SPACE.inputs.map(() => rng.uniform()),
          ),
        ),
        info: { exploit: options?.exploit ?? false },
        fit: { surrogate: "none", seconds: 0.001, meta: { n: told.length }, warnings: [] },
      }));
    },
    async tell(results) {
      told.push(...results);
    },
  };
}
