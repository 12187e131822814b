import { initBackend, readyTf } from "../backend.js";
import type { CascadeEnsembleSpec } from "../cascadeEnsemble.js";
import { defaultPredictThreads, HelperThread } from "./helperThread.js";
import { TfCascadeTwin } from "./tfCascadeTwin.js";

/** Options of {@link createTwin}. */
export interface CreateTwinOptions {
  /**
   * 1 or 2 threads for large batches. 2: the helper thread is started now and awaited.
   * Default: 2 when `defaultPredictThreads()` says so (`$SDFL_PREDICT_THREADS`, else one
   * per core, at most 2), with the helper started only by the first large batch.
   */
  threads?: number;
}

/**
 * The fast {@link TfCascadeTwin} for a cascade ensemble of any file format. Initialises
 * the TF.js backend once (tfjs-node, else WASM, else cpu; `SDFL_TF_BACKEND` forces one)
 * and, for 2 threads, a helper thread with its own backend and weights. If no
 * backend loads, the twin runs on its JavaScript kernels only (`twin.backend === "none"`).
 * Call `twin.dispose()` when done (frees tensors, stops the helper).
 */
export async function createTwin(spec: CascadeEnsembleSpec, options: CreateTwinOptions = {}): Promise<TfCascadeTwin> {
  await initBackend().catch(() => undefined);
  const ready = readyTf();
  const tf = ready ? { tf: ready.tf, name: ready.info.name } : undefined;
  if (options.threads === undefined) return new TfCascadeTwin(spec, tf, { spawnHelper: defaultPredictThreads() > 1 });
  const helper = tf && options.threads > 1 ? HelperThread.spawn(spec) : undefined;
  const twin = new TfCascadeTwin(spec, tf, { helper });
  await twin.whenHelperReady();
  return twin;
}
