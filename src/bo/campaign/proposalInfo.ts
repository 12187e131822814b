import type { Proposal } from "../strategy.js";

/** Seconds the strategy reports for optimising its acquisition function (info.optimizerSeconds), if any. */
export function acquisitionSecondsOf(p: Proposal): number | undefined {
  const s = p.info?.optimizerSeconds;
  return typeof s === "number" && Number.isFinite(s) ? s : undefined;
}
