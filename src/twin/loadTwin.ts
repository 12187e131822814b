import type { Twin } from "./twin.js";
import { parsePublishedTwin, readJsonFile } from "./publishedTwin.js";
import { isProjectTwin, parseProjectTwin } from "./twinFile.js";
import { createTwin } from "./tf/createTwin.js";

/**
 * Load any twin file sdfl understands (a project twin written by `sdfl twin train`, or
 * a published-format twin such as twins/chem1.json) as a {@link Twin}.
 * Async because the TensorFlow.js backend (used for large batches) is initialised here;
 * if no backend loads, the twin predicts with its JavaScript kernels only.
 */
export async function loadTwin(file: string): Promise<Twin> {
  const json = readJsonFile(file);
  const spec = isProjectTwin(json) ? parseProjectTwin(json, file).spec : parsePublishedTwin(json, file);
  return createTwin(spec);
}
