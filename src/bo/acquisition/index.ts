export * from "./types.js";
export * from "./normal.js";
export { expectedImprovement, eiAcquisition } from "./ei.js";
export { logExpectedImprovement, logEiAcquisition } from "./logEi.js";
export { probabilityOfImprovement, piAcquisition } from "./pi.js";
export { upperConfidenceBound, ucbAcquisition, DEFAULT_UCB_BETA } from "./ucb.js";
export { posteriorMeanAcquisition } from "./mean.js";
export { acquisitionObjective, type AcquisitionObjective } from "./objective.js";
