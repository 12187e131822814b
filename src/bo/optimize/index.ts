export { optimizeAcqf, type OptimizeAcqfInputs } from "./optimizeAcqf.js";
export { feasibleSetOf, isFeasible, project, unitCube } from "./feasibleSet.js";
