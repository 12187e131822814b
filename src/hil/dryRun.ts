/**
 * Dry run: what a plan would do, checked against every fixed limit and syringe volume,
 * with a time estimate per step, without touching a device. A live lab runs the same
 * checks before the first command of every experiment and refuses one that fails them.
 */
import { BoundsError, DeviceError } from "../core/errors.js";
import { checkRange } from "./limits.js";
import { describeStep, stepEstimate_s, type ExperimentPlan } from "./plan.js";
import type { CheckResult, HeaterLimits, PumpLimits } from "./protocols.js";

/** An experiment would empty a syringe: refused before it starts. */
export class SyringeVolumeError extends DeviceError {
  constructor(
    device: string,
    readonly need_uL: number,
    readonly remaining_uL: number,
  ) {
    super(
      device,
      `this experiment needs about ${need_uL.toFixed(0)} uL but the syringe holds ${remaining_uL.toFixed(0)} uL; refusing to start it (it would run dry)`,
      "refill the syringe, record it with `sdfl lab refill`, then resume the campaign",
    );
  }
}

/** What the checks need to know about the lab. */
export interface DryRunContext {
  pumps: Readonly<Record<string, { limits: PumpLimits; remaining_uL: number }>>;
  heater: HeaterLimits;
  totalFlow_uL_min: readonly [number, number];
  /** Extra syringe volume required beyond the estimate (0.5 = 50 %). */
  syringeMargin: number;
}

/** One row of the dry-run table. */
export interface DryRunRow {
  step: number;
  action: string;
  estimate_s: number;
  /** Estimated time at which the step starts, s from the start of the experiment. */
  at_s: number;
}

/** The result of a dry run. */
export interface DryRunResult {
  plan: ExperimentPlan;
  rows: DryRunRow[];
  total_s: number;
  volumes: { pump: string; rate_uL_min: number; need_uL: number; remaining_uL: number; after_uL: number }[];
  /** Errors that refuse the experiment (limits, syringes); empty when it may run. */
  refusals: (BoundsError | SyringeVolumeError)[];
  /** Things to act on soon (a syringe that will not last another experiment). */
  warnings: string[];
}

function bounds(field: string, value: number, unit: string, range: readonly [number, number]): BoundsError | undefined {
  const r: CheckResult = checkRange(field, value, unit, range);
  return r.ok ? undefined : new BoundsError(field, value, unit, range, "refused before sending");
}

/** Check a plan and estimate its duration. */
export function dryRun(plan: ExperimentPlan, ctx: DryRunContext): DryRunResult {
  const rows: DryRunRow[] = [];
  let at = 0;
  plan.steps.forEach((s, i) => {
    const e = stepEstimate_s(s);
    rows.push({ step: i + 1, action: describeStep(s), estimate_s: e, at_s: at });
    at += e;
  });
  const refusals: DryRunResult["refusals"] = [];
  const push = (e: BoundsError | SyringeVolumeError | undefined): void => void (e && refusals.push(e));
  push(bounds("heater set point", plan.setPoint_degC, "degC", ctx.heater.setPoint_degC));
  push(bounds("total flow", plan.totalFlow_uL_min, "uL/min", ctx.totalFlow_uL_min));
  const warnings: string[] = [];
  const volumes: DryRunResult["volumes"] = [];
  for (const [pump, rate] of Object.entries(plan.rates)) {
    const p = ctx.pumps[pump];
    if (!p) {
      push(new BoundsError(`pump ${pump}`, rate, "uL/min", [0, 0], "the lab configuration has no such pump"));
      continue;
    }
    push(bounds(`pump ${pump} rate`, rate, "uL/min", p.limits.rate_uL_min));
    // A stopped pump needs nothing, even when the plan never ends (zero total flow: tau is infinite, refused above).
    const need = rate === 0 ? 0 : ((rate * at) / 60) * (1 + ctx.syringeMargin);
    const after = p.remaining_uL - need;
    volumes.push({ pump, rate_uL_min: rate, need_uL: need, remaining_uL: p.remaining_uL, after_uL: after });
    if (need > p.remaining_uL) push(new SyringeVolumeError(`pump:${pump}`, need, p.remaining_uL));
    else if (after < need)
      warnings.push(`pump:${pump}: about ${Math.max(0, after).toFixed(0)} uL left after this experiment, not enough for another like it; refill soon`);
  }
  return { plan, rows, total_s: at, volumes, refusals, warnings };
}

/** Throw the first refusal of a dry run (nothing has been sent). */
export function refuseIfUnsafe(r: DryRunResult): void {
  if (r.refusals.length > 0) throw r.refusals[0];
}

/** The dry run as a text table. */
export function formatDryRun(r: DryRunResult): string {
  const fmt = (s: number): string => (s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);
  const lines = [
    `condition: ${Object.entries(r.plan.condition)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
    `total flow ${r.plan.totalFlow_uL_min.toFixed(1)} uL/min, tau ${r.plan.tau_s.toFixed(1)} s`,
    "",
  ];
  const w = Math.max(...r.rows.map((x) => x.action.length));
  lines.push(`  #  ${"action".padEnd(w)}  ${"starts at".padStart(9)}  ${"takes".padStart(9)}`);
  for (const x of r.rows) lines.push(`${String(x.step).padStart(3)}  ${x.action.padEnd(w)}  ${fmt(x.at_s).padStart(9)}  ${fmt(x.estimate_s).padStart(9)}`);
  lines.push(`estimated duration: ${fmt(r.total_s)}`, "", "syringes (need includes the safety margin):");
  for (const v of r.volumes)
    lines.push(
      `  ${v.pump.padEnd(6)} ${v.rate_uL_min.toFixed(1).padStart(8)} uL/min  need ${v.need_uL.toFixed(0).padStart(6)} uL  holds ${v.remaining_uL.toFixed(0).padStart(7)} uL  left after ${v.after_uL.toFixed(0).padStart(7)} uL`,
    );
  for (const wng of r.warnings) lines.push(`warning: ${wng}`);
  lines.push(
    r.refusals.length === 0
      ? "ok: every limit and syringe volume checked; nothing was sent"
      : `REFUSED (nothing was sent):\n${r.refusals.map((e) => `  ${e.message}`).join("\n")}`,
  );
  return lines.join("\n") + "\n";
}
