import type { Proposal } from "../strategy.js";
import type { SurrogateFitInfo } from "../surrogate.js";

/**
 * The surrogate fit a strategy reports with a proposal, if any. Strategies put it in
 * `proposal.info.fit` as `{ surrogate?, seconds, meta, warnings }` (a
 * {@link SurrogateFitInfo} plus the surrogate's name); the campaign store keeps it.
 */
export function fitFromProposal(p: Proposal): (SurrogateFitInfo & { surrogate: string }) | undefined {
  const f = p.info?.fit as Partial<SurrogateFitInfo & { surrogate: string }> | undefined;
  if (!f || typeof f !== "object" || typeof f.seconds !== "number") return undefined;
  return {
    surrogate: typeof f.surrogate === "string" ? f.surrogate : "unknown",
    seconds: f.seconds,
    meta: f.meta && typeof f.meta === "object" ? f.meta : {},
    warnings: Array.isArray(f.warnings) ? f.warnings.map(String) : [],
  };
}
