export { GpSurrogate, type GpSurrogateOptions } from "./gpSurrogate.js";
export { GpModel, type GpHyperparameters } from "./gp.js";
export { logMarginalLikelihood, fitHyperparameters, GP_LOG_BOUNDS } from "./hyperopt.js";
export { CLASSIC_PRIORS, DIMENSION_SCALED_PRIORS, type GpPriorSet } from "./priors.js";
export { cholesky, choleskyWithJitter } from "./cholesky.js";
export { matern52 } from "./matern.js";
