/** Fast batched twin prediction on TensorFlow.js (large batches) and JavaScript (small ones). */
export { createTwin } from "./createTwin.js";
export { TfCascadeTwin, TF_MIN_POINTS } from "./tfCascadeTwin.js";
export { TfBatchedCascade, TF_BLOCK_ROWS } from "./batchedCascade.js";
