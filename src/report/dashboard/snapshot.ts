/**
 * What the live dashboard shows, as plain JSON built from a campaign store. The server
 * sends one {@link DashboardSnapshot} per change of the store; the page redraws from it.
 * Optional sections (device states, device log, recommendations) are filled only when
 * the store has their tables, so a store written by an older sdfl still shows.
 */

/** One campaign in the picker. */
export interface CampaignSummary {
  id: number;
  status: string;
  lab: string;
  strategy: string;
  createdAt: string;
  done: number;
  /** Initial-design rows plus the optimizer budget. */
  total: number;
}

/** One experiment row of the selected campaign. */
export interface DashboardExperiment {
  index: number;
  phase: string;
  status: string;
  /** Condition as chosen (degC for T, uL/min for the flows). */
  condition: Record<string, number>;
  /** The model's prediction when the point was chosen (objective units), if the strategy recorded one. */
  predicted?: { mean: number; std?: number; acquisition?: number };
  /**
   * The strategy's recommendation stored with this proposal (`info.recommendation`: its
   * posterior-mean maximiser given the experiments before this one): condition, predicted
   * mean and std (objective units), observations the model had seen.
   */
  recommendation?: { condition: Record<string, number>; mean?: number; std?: number; observations?: number };
  /** Measured objective (PLQY proxy on the reactor, the function value on a test lab). */
  measured?: number;
  abs300?: number;
  pla?: number;
  /** Wall-clock ISO time the measurement was stored. */
  measuredAt?: string;
  error?: string;
}

/** A processed spectrum (x in nm, y in the pipeline's units). */
export interface DashboardSpectrum {
  index: number;
  label: string;
  x: number[];
  y: number[];
}

/** Everything the page shows for one campaign. */
export interface CampaignView {
  id: number;
  status: string;
  lab: string;
  strategy: string;
  /** Objective name: "PLQY" on the reactor, the test function's name, or the objective of the campaign's own problem. */
  objective: string;
  /** Whether the best is the largest (default) or the smallest measured value. */
  goal?: "maximize" | "minimize";
  inputs: string[];
  /** Unit of each input, by name (from the campaign's problem). */
  units?: Record<string, string>;
  done: number;
  failed: number;
  total: number;
  /** Index of the experiment running now, if any. */
  running?: number;
  /** Mean wall-clock seconds per lab experiment, from the stored measurement times. */
  secondsPerExperiment?: number;
  /** Estimated seconds to the end of the budget (undefined until two lab experiments are done). */
  etaSeconds?: number;
  best?: { index: number; value: number; condition: Record<string, number> };
  /** ISO time of the newest stored measurement. */
  lastMeasuredAt?: string;
  /** True when the store says "running" but nothing landed for far longer than an experiment takes (stopped or crashed; `--resume` continues it). */
  stale?: boolean;
  /** Best measured value after each done experiment, in index order (NaN-free). */
  bestSoFar: { index: number; value: number }[];
  /** The model's current recommendation (a table of the store, or the newest proposal's info). */
  recommendation?: { index: number; condition: Record<string, number>; mean?: number; std?: number; source: string };
  experiments: DashboardExperiment[];
  spectra: DashboardSpectrum[];
  /** Latest state of each device, when the store has a device table (hardware campaigns). */
  devices?: Record<string, unknown>[];
  /** Newest device-log entries first, when the store has a device log. */
  deviceLog?: Record<string, unknown>[];
}

/** One message of the event stream. */
export interface DashboardSnapshot {
  store: string;
  /** ISO time the snapshot was read. */
  at: string;
  campaigns: CampaignSummary[];
  campaign?: CampaignView;
  /** Whether this server can stop the campaign (it runs inside `sdfl campaign --dashboard`). */
  canStop: boolean;
  /** Id of the campaign the Stop button stops. */
  stoppable?: number;
}
