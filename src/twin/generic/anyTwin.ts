import type { Twin } from "../twin.js";
import { loadTwin } from "../loadTwin.js";
import { readJsonFile } from "../publishedTwin.js";
import type { ProblemTwin } from "./problemTwin.js";
import { isProblemTwin, parseProblemTwin, type ProblemTwinFile } from "./problemTwinFile.js";

/** A loaded twin file: the paper's cascade (project or published format) or a twin of another problem. */
export type AnyTwin = { kind: "paper"; twin: Twin } | { kind: "problem"; twin: ProblemTwin; file: ProblemTwinFile };

/**
 * Load any twin file sdfl writes or reads: a problem twin (`sdfl twin train --problem`,
 * validated completely) or a paper twin through {@link loadTwin} (unchanged). Call
 * `twin.dispose()` when done.
 */
export async function loadAnyTwin(file: string): Promise<AnyTwin> {
  const json = readJsonFile(file);
  if (isProblemTwin(json)) {
    const parsed = parseProblemTwin(json, file);
    return { kind: "problem", twin: parsed.twin, file: parsed };
  }
  return { kind: "paper", twin: await loadTwin(file) };
}

/** True when `file` holds a problem twin (read as JSON; a missing or unreadable file is a FormatError naming it). */
export function isProblemTwinFile(file: string): boolean {
  return isProblemTwin(readJsonFile(file));
}
