/**
 * Measurement noise between acquisitions at steady state, at the level of the optical
 * features (droplet-to-droplet composition, cell alignment, excitation power).
 */
import type { Rng } from "../core/rng.js";
import { UsageError } from "../core/errors.js";
import type { Features } from "./features.js";
import type { NoiseParams } from "./params.js";

/**
 * How noisy a simulated lab is.
 * - "measured": the paper's RSDs (3.1 % Abs300, 5.2 % PL peak, 4.2 % PL area), lamp and
 *   dark drift, detector read noise. The realistic default.
 * - "objective": relative std `rsd` on the PLQY proxy exactly (applied to PLA, which the
 *   proxy is proportional to), nothing else. For benchmarks.
 * - "features": relative std `rsd` on each feature independently, nothing else.
 * - "none": noise-free.
 */
export type NoiseSpec = { kind: "measured" } | { kind: "none" } | { kind: "objective"; rsd: number } | { kind: "features"; rsd: number };

/**
 * Parse a noise option: "measured", "none", a bare number R (= "objective:R", relative
 * std of the objective), "objective:R" or "features:R", with 0 <= R <= 1.
 */
export function parseNoiseSpec(text: string): NoiseSpec {
  const t = text.trim().toLowerCase();
  if (t === "measured") return { kind: "measured" };
  if (t === "none" || t === "0") return { kind: "none" };
  const m = /^(?:(objective|features):)?([0-9.eE+-]+)$/.exec(t);
  const r = m ? Number(m[2]) : NaN;
  if (!m || !Number.isFinite(r) || r < 0 || r > 1) {
    throw new UsageError(
      `noise "${text}" is not understood`,
      'use "measured", "none", a relative std such as 0.04 (on the objective), "objective:0.04" or "features:0.04" (0 to 1)',
    );
  }
  return r === 0 ? { kind: "none" } : { kind: (m[1] as "objective" | "features" | undefined) ?? "objective", rsd: r };
}

/** Short text form of a spec, inverse of {@link parseNoiseSpec}. */
export function formatNoiseSpec(s: NoiseSpec): string {
  return s.kind === "measured" || s.kind === "none" ? s.kind : `${s.kind}:${s.rsd}`;
}

/** Draws the per-acquisition noise of a spec. `lampFactor` multiplies PL (excitation power). */
export class FeatureNoise {
  constructor(
    readonly spec: NoiseSpec,
    readonly params: NoiseParams,
    private readonly rng: Rng,
  ) {}

  /** Noisy Abs300 for one absorbance acquisition. */
  abs300(trueAbs: number): number {
    const s = this.spec;
    if (s.kind === "measured") return trueAbs * (1 + this.params.abs300Rsd * this.rng.normal());
    if (s.kind === "features") return trueAbs * (1 + s.rsd * this.rng.normal());
    return trueAbs;
  }

  /** Noisy PL area and peak for one PL acquisition. */
  pl(truePla: number, truePeak: number, lampFactor = 1): { pla: number; peak446: number } {
    const s = this.spec;
    if (s.kind === "measured") {
      const p = this.params;
      const common = (1 + p.plAreaRsd * this.rng.normal()) * lampFactor;
      const extra = Math.sqrt(Math.max(0, p.plPeakRsd ** 2 - p.plAreaRsd ** 2));
      return { pla: truePla * common, peak446: truePeak * common * (1 + extra * this.rng.normal()) };
    }
    if (s.kind === "objective") {
      const g = 1 + s.rsd * this.rng.normal();
      return { pla: truePla * g, peak446: truePeak * g };
    }
    if (s.kind === "features") return { pla: truePla * (1 + s.rsd * this.rng.normal()), peak446: truePeak * (1 + s.rsd * this.rng.normal()) };
    return { pla: truePla, peak446: truePeak };
  }

  /** All three features at once (the fast steady-state path). */
  features(f: Features, lampFactor = 1): Features {
    return { abs300: this.abs300(f.abs300), ...this.pl(f.pla, f.peak446, lampFactor) };
  }

  /** True when the spec includes drift and detector noise. */
  get realistic(): boolean {
    return this.spec.kind === "measured";
  }
}
