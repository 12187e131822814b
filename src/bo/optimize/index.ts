export { optimizeAcqf, validateOptimizeAcqfInputs, type OptimizeAcqfInputs, type OptimizeAcqfResult, type ExcludedBall } from "./optimizeAcqf.js";
export { feasibleSetOf, isFeasible, project, unitCube, type FeasibleSet, type LinearBand } from "./feasibleSet.js";
export { projectedGradientAscent, type AscentOptions } from "./projectedGradient.js";
export { finiteDifferenceGradient } from "./finiteDifference.js";
