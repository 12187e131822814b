/**
 * The syringe account across restarts, from the device log: after a crash the lab
 * assumes the worst case, i.e. that the interrupted experiment used everything it had
 * reserved, until the pumps report otherwise. A refill entry starts a syringe at 0.
 */
import type { DeviceLogEntry } from "./deviceLog.js";

/** Volume dispensed from each loaded syringe, uL, as the log's syringe entries tell it. */
export function dispensedFromLog(entries: readonly DeviceLogEntry[], syringeVolume_uL: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    if (e.kind !== "syringe" || typeof e.data !== "object" || e.data === null) continue;
    const d = e.data as Record<string, unknown>;
    if (typeof d.refilled === "string") {
      out[d.refilled] = 0;
    } else if (typeof d.pump === "string" && typeof d.need_uL === "number" && typeof d.remaining_uL === "number") {
      // A reservation: worst case, all of it was used.
      const total = syringeVolume_uL[d.pump];
      if (total !== undefined) out[d.pump] = Math.min(total, total - d.remaining_uL + d.need_uL);
    } else {
      // Dispensed volumes read after an experiment.
      for (const [k, v] of Object.entries(d)) if (typeof v === "number" && k in syringeVolume_uL) out[k] = v;
    }
  }
  return out;
}
