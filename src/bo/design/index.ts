export { SobolSequence, sobolDesign } from "./sobol.js";
export { SOBOL_MAX_DIMENSION } from "./sobolDirections.js";
export { latinHypercube, maximinLatinHypercube, minPairwiseDistance } from "./lhs.js";
export { initialDesign, initialDesignUnit, parseDesignSpec, type DesignSpec } from "./initialDesign.js";
