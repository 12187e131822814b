import { loadDataset } from "../src/twin/dataset.js";
import { resolveDatasetDir } from "../src/twin/dataPaths.js";
import { DEFAULT_SPACE, normalize } from "../src/twin/space.js";
import type { Observations } from "../src/bo/surrogate.js";

/** A published LHS data set as unit-cube observations (PLQY proxy objective). */
export function lhsObservations(chemistry = "chem3"): Observations {
  const ds = loadDataset(resolveDatasetDir(chemistry));
  return { X: ds.X.map((x) => normalize(DEFAULT_SPACE, x)), y: ds.plqy.slice() };
}
