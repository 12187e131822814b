import type { Twin } from "./twin.js";
import { initBackend } from "./backend.js";
import { CascadeEnsembleTwin } from "./cascadeEnsemble.js";
import { parsePublishedTwin, readJsonFile } from "./publishedTwin.js";
import { isProjectTwin, parseProjectTwin } from "./twinFile.js";
import { defaultPredictThreads } from "./tf/helperThread.js";
import { isProblemTwin } from "./generic/problemTwinFile.js";
import { FormatError } from "../core/errors.js";

/**
 * Load any twin file sdfl understands (a project twin written by `sdfl twin train`, or
 * a published-format twin such as twins/chem1.json) as a {@link CascadeEnsembleTwin}.
 * Async because the TensorFlow.js backend (used for large batches) is initialised here
 * (tfjs-node, else WASM, else cpu; `SDFL_TF_BACKEND` forces one); if no backend loads,
 * the twin predicts with its float64 kernels only. With two cores (`SDFL_PREDICT_THREADS`
 * overrides) the first very large batch starts a helper thread. Call `dispose()` when done.
 */
export async function loadTwin(file: string): Promise<Twin> {
  const json = readJsonFile(file);
  if (isProblemTwin(json))
    throw new FormatError(
      `${file}: a twin of the problem ${JSON.stringify((json as { problem?: { name?: unknown } }).problem?.name)} (sdfl twin train --problem), not of the paper's Abs300nm/PLA cascade`,
      "use it with `sdfl twin predict` or `sdfl twin explain`; the simulator and the ENN surrogate need a paper twin",
    );
  const spec = isProjectTwin(json) ? parseProjectTwin(json, file).spec : parsePublishedTwin(json, file);
  await initBackend().catch(() => undefined);
  return new CascadeEnsembleTwin(spec, { helper: defaultPredictThreads() > 1 ? "lazy" : "off" });
}
