import type { Proposal, Strategy } from "../strategy.js";
import type { SurrogateFitInfo } from "../surrogate.js";

/** A surrogate fit as the campaign store keeps it. */
export type ReportedFit = SurrogateFitInfo & { surrogate: string };

/**
 * The surrogate fit behind a proposal, if the strategy reports one: either
 * `proposal.info.fit` (`{ surrogate?, seconds, meta, warnings }`), or the strategy's
 * `lastFit` property (as SurrogateStrategy has) when it is a new object since
 * `previous` (so a fit is recorded once, with the proposal that followed it).
 */
export function fitOfProposal(p: Proposal, strategy: Strategy, previous: unknown): { fit?: ReportedFit; raw?: unknown } {
  const fromInfo = normaliseFit(p.info?.fit, p.info);
  if (fromInfo) return { fit: fromInfo, raw: p.info?.fit };
  const last = (strategy as { lastFit?: unknown }).lastFit;
  if (last && last !== previous) {
    const f = normaliseFit(last, p.info);
    if (f) return { fit: f, raw: last };
  }
  return {};
}

/** Seconds the strategy reports for optimising its acquisition function (info.optimizerSeconds), if any. */
export function acquisitionSecondsOf(p: Proposal): number | undefined {
  const s = p.info?.optimizerSeconds;
  return typeof s === "number" && Number.isFinite(s) ? s : undefined;
}

function normaliseFit(f: unknown, info: Record<string, unknown> | undefined): ReportedFit | undefined {
  const x = f as Partial<ReportedFit> | undefined;
  if (!x || typeof x !== "object" || typeof x.seconds !== "number") return undefined;
  const name = typeof x.surrogate === "string" ? x.surrogate : typeof info?.surrogate === "string" ? info.surrogate : "unknown";
  return {
    surrogate: name,
    seconds: x.seconds,
    meta: x.meta && typeof x.meta === "object" ? x.meta : {},
    warnings: Array.isArray(x.warnings) ? x.warnings.map(String) : [],
  };
}
