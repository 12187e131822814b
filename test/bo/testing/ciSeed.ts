/**
 * The fast-check seed of the property-suite tests in CI. beats-random is a one-sided test at
 * 5 %: with a fresh seed each run, a correct strategy fails it about 1 run in 20 and a
 * random-search mutant passes it about 1 run in 20, so a CI verdict would be a coin toss on
 * those cases. CI therefore runs one fixed seed (reproducible verdicts); set
 * SDFL_PROPERTY_SEED=random to draw fresh seeds (printed on failure), or a number to replay one.
 */
export const CI_SEED: number | undefined = (() => {
  const v = process.env.SDFL_PROPERTY_SEED;
  if (v === "random") return undefined;
  if (v !== undefined && v !== "") return Number(v);
  return 20261127;
})();
