import type { Twin } from "./twin.js";
import { loadPublishedTwin } from "./publishedTwin.js";

/**
 * Load any twin file sdfl understands (a project twin written by `sdfl twin train`, or
 * a published-format twin such as twins/chem1.json) as a {@link Twin}.
 * Async because a backend may need initialising.
 */
export async function loadTwin(file: string): Promise<Twin> {
  return loadPublishedTwin(file);
}
