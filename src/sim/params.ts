/**
 * Every physical constant of the reactor simulator, as named and documented data.
 * Defaults come from the design notes ("The reactor, as far as the paper and its code
 * tell"); where the paper gives no number the default is a stated engineering guess,
 * marked "assumed". Units are in the field names.
 */
import { CRITICAL_TOTAL_FLOW, PFO_RATIO } from "../twin/space.js";

/** Tubing volumes that set residence time and tau. */
export interface ReactorGeometry {
  /**
   * Heated volume inside the plate, uL. 600 uL gives 60 s at 600 uL/min and 40 s at
   * 900 uL/min, the reaction times of the paper (PFA tubing, 0.762 mm ID, about 1.3 m).
   */
  heatedVolume_uL: number;
  /** Volume from the segmentation T-junction to the heated plate, uL (assumed: 40 uL). */
  inletVolume_uL: number;
  /** Volume of the FEP cooling line from the plate to the flow cells, uL (assumed: 0.04 in ID, 0.3 m = 243 uL). */
  outletVolume_uL: number;
  /** PFO carrier flow as a fraction of the total precursor flow (0.5). */
  pfoRatio: number;
}

/** The two regime factors that multiply what the twin predicts. */
export interface RegimeParams {
  /** Total flow (precursors + PFO) above which mixing is complete, uL/min (paper: 576). */
  criticalTotalFlow_uL_min: number;
  /**
   * Below the critical flow, mass-transfer efficiency = (Q / Q_crit)^exponent
   * (assumed: 2, so 288 uL/min gives 0.25).
   */
  massTransferExponent: number;
  /**
   * Absorbance (amount of product) follows efficiency^absExponent while the PL area
   * follows efficiency^1, so PL/Abs300 falls below the critical flow as in Fig. 4A-B
   * (assumed: 0.5).
   */
  massTransferAbsExponent: number;
  /**
   * Reaction time after which the reaction is complete, s (paper: plateau beyond about
   * 40 s at 720 uL/min). Completion = 1 - (1 - t/t_sat)^completionShape below it, 1 above.
   */
  completionTime_s: number;
  /** Shape of the completion curve (3: a smooth approach with zero slope at t_sat). */
  completionShape: number;
}

/** The plate, its cartridge heaters and the PID loop (Watlow F4T in the real rig). */
export interface HeaterParams {
  /** Ambient (room) temperature, degC. */
  ambient_degC: number;
  /** Plate temperature reached at 100 % heater output, degC (assumed: 400). */
  fullPowerTemperature_degC: number;
  /** First-order thermal time constant of the plate, s (assumed: 240 s for an aluminium plate). */
  thermalTimeConstant_s: number;
  /** Proportional gain, output fraction per degC. */
  kp_per_degC: number;
  /** Integral time, s (integral gain = kp / ti). */
  integralTime_s: number;
  /** Derivative time, s. */
  derivativeTime_s: number;
  /** Control-loop and integration step, s. */
  controlPeriod_s: number;
  /** Standard deviation of the thermocouple reading noise, degC (assumed 0.05). */
  sensorNoise_degC: number;
  /** |PV - SP| tolerance for "at temperature", degC. */
  settleTolerance_degC: number;
  /** How long PV must stay within tolerance to count as settled, s. */
  settleHold_s: number;
  /** Allowed set-point range of the controller, degC (the reactor's safe range). */
  setPointLimits_degC: readonly [number, number];
}

/** Residence-time distribution and carry-over of the droplet train. */
export interface TransientParams {
  /**
   * Number of tanks in series of the residence-time distribution (gamma RTD with mean
   * tau). 10 puts 99.5 % of the step response before 2 tau, the paper's waiting time.
   */
  rtdTanks: number;
  /** Fraction of the previous condition left on walls just after a change (assumed 3 %). */
  carryOverFraction: number;
  /** Decay time of the carry-over in units of tau (assumed 1). */
  carryOverDecay_tau: number;
  /** Waiting time before acquiring, in units of tau (the original waited 2). */
  waitResidenceTimes: number;
}

/** Steady-state noise and slow drift. */
export interface NoiseParams {
  /** Relative std of Abs300 between acquisitions at steady state (paper: 3.1 %). */
  abs300Rsd: number;
  /** Relative std of the PL peak intensity (paper: 5.2 %). */
  plPeakRsd: number;
  /** Relative std of the PL area (paper: 4.2 %). Peak and area share this part. */
  plAreaRsd: number;
  /** Stationary relative std of the excitation/lamp intensity drift (assumed 1 %). */
  lampDriftRsd: number;
  /** Correlation time of the lamp drift (Ornstein-Uhlenbeck), s (assumed 2 h). */
  lampDriftTime_s: number;
  /** Stationary std of the detector dark-level drift, counts (assumed 15). */
  darkDriftStd_counts: number;
  /** Correlation time of the dark-level drift, s (assumed 1 h). */
  darkDriftTime_s: number;
  /** Detector read noise per pixel per frame, counts (assumed 3). */
  readNoise_counts: number;
}

/** Stock solutions of one chemistry: mmol of salt in the stock volume, then a dilution. */
export interface StockSolutions {
  /** mmol CuI in the stock volume. */
  CuI_mmol: number;
  /** mmol ZnI2 in the stock volume. */
  ZnI2_mmol: number;
  /** mmol Cs2CO3 in the Cs-oleate stock (2 Cs per formula unit). */
  Cs2CO3_mmol: number;
  /** Stock volume, mL (about 50.4 mL). */
  stockVolume_mL: number;
  /** Dilution factor with ODE applied to every stock (5 for Chem1/2, 1.5 for Chem3). */
  dilution: number;
}

/** Stock solutions of the published chemistries (design notes). */
export const CHEMISTRY_STOCKS: Readonly<Record<"chem1" | "chem2" | "chem3", StockSolutions>> = {
  chem1: { CuI_mmol: 0.48, ZnI2_mmol: 0.36, Cs2CO3_mmol: 2.024, stockVolume_mL: 50.4, dilution: 5 },
  // Chem2: the same salts; three times the ligand in the halide stocks (no effect on concentrations).
  chem2: { CuI_mmol: 0.48, ZnI2_mmol: 0.36, Cs2CO3_mmol: 2.024, stockVolume_mL: 50.4, dilution: 5 },
  chem3: { CuI_mmol: 0.533, ZnI2_mmol: 0.4, Cs2CO3_mmol: 2.249, stockVolume_mL: 50.4, dilution: 1.5 },
};

/** Syringes loaded on the five pumps, uL (three 50 mL, ODE and PFO 100 mL). */
export interface SyringeParams {
  CuI_uL: number;
  ZnI2_uL: number;
  CsOA_uL: number;
  ODE_uL: number;
  PFO_uL: number;
  /** Largest rate a pump accepts, uL/min (assumed 5000 for a 50 mL syringe). */
  maxRate_uL_min: number;
}

/** Everything the simulator needs besides the twin. */
export interface ReactorParams {
  geometry: ReactorGeometry;
  regimes: RegimeParams;
  heater: HeaterParams;
  transient: TransientParams;
  noise: NoiseParams;
  stocks: StockSolutions;
  syringes: SyringeParams;
}

/** The defaults described on each field. */
export const DEFAULT_REACTOR_PARAMS: ReactorParams = {
  geometry: { heatedVolume_uL: 600, inletVolume_uL: 40, outletVolume_uL: 243, pfoRatio: PFO_RATIO },
  regimes: {
    criticalTotalFlow_uL_min: CRITICAL_TOTAL_FLOW,
    massTransferExponent: 2,
    massTransferAbsExponent: 0.5,
    completionTime_s: 40,
    completionShape: 3,
  },
  heater: {
    ambient_degC: 25,
    fullPowerTemperature_degC: 400,
    thermalTimeConstant_s: 240,
    kp_per_degC: 0.08,
    integralTime_s: 60,
    derivativeTime_s: 5,
    controlPeriod_s: 0.5,
    sensorNoise_degC: 0.05,
    settleTolerance_degC: 0.5,
    settleHold_s: 20,
    setPointLimits_degC: [20, 200],
  },
  transient: { rtdTanks: 10, carryOverFraction: 0.03, carryOverDecay_tau: 1, waitResidenceTimes: 2 },
  noise: {
    abs300Rsd: 0.031,
    plPeakRsd: 0.052,
    plAreaRsd: 0.042,
    lampDriftRsd: 0.01,
    lampDriftTime_s: 7200,
    darkDriftStd_counts: 15,
    darkDriftTime_s: 3600,
    readNoise_counts: 3,
  },
  stocks: CHEMISTRY_STOCKS.chem1,
  syringes: { CuI_uL: 50000, ZnI2_uL: 50000, CsOA_uL: 50000, ODE_uL: 100000, PFO_uL: 100000, maxRate_uL_min: 5000 },
};

/** A deep partial, for overriding a few parameters. */
export type ReactorParamsOverride = { [K in keyof ReactorParams]?: Partial<ReactorParams[K]> };

/** Defaults with some fields replaced (one level deep per group). */
export function reactorParams(override: ReactorParamsOverride = {}): ReactorParams {
  const d = DEFAULT_REACTOR_PARAMS;
  return {
    geometry: { ...d.geometry, ...override.geometry },
    regimes: { ...d.regimes, ...override.regimes },
    heater: { ...d.heater, ...override.heater },
    transient: { ...d.transient, ...override.transient },
    noise: { ...d.noise, ...override.noise },
    stocks: { ...d.stocks, ...override.stocks },
    syringes: { ...d.syringes, ...override.syringes },
  };
}
