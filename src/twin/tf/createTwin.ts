import { initBackend, readyTf } from "../backend.js";
import type { CascadeEnsembleSpec } from "../cascadeEnsemble.js";
import { TfCascadeTwin } from "./tfCascadeTwin.js";

/**
 * The fast {@link TfCascadeTwin} for a cascade ensemble of any file format. Initialises
 * the TF.js backend once (tfjs-node, else WASM, else cpu; `SDFL_TF_BACKEND` forces one);
 * if none loads, the twin runs on its JavaScript kernels only (`twin.backend === "none"`).
 */
export async function createTwin(spec: CascadeEnsembleSpec): Promise<TfCascadeTwin> {
  await initBackend().catch(() => undefined);
  const ready = readyTf();
  return new TfCascadeTwin(spec, ready ? { tf: ready.tf, name: ready.info.name } : undefined);
}
