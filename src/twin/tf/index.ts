/** Fast batched twin prediction on TensorFlow.js (large batches, up to 2 threads) and JavaScript (small ones). */
export { createTwin, type CreateTwinOptions } from "./createTwin.js";
export { TfCascadeTwin, TF_MIN_POINTS, PARALLEL_MIN_POINTS } from "./tfCascadeTwin.js";
export { TfBatchedCascade, TF_BLOCK_ROWS, CONCAT_MAX_ROWS } from "./batchedCascade.js";
export { HelperThread, defaultPredictThreads, helperAvailable } from "./helperThread.js";
