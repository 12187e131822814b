import Database from "better-sqlite3";
import { FormatError } from "../../core/errors.js";
import { rowToExperiment, type ExperimentRow } from "../../store/rows.js";
import { TEST_FUNCTIONS } from "../../bo/oracles/testFunctions.js";
import type { ExperimentRecord } from "../../bo/campaign/journal.js";
import type { Problem } from "../../bo/problem/problem.js";
import { campaignProblem, notThePaperProblem } from "../../store/campaignProblem.js";
import type { CampaignSummary, CampaignView, DashboardExperiment, DashboardSnapshot, DashboardSpectrum } from "./snapshot.js";

/** Tables of optional sections, looked up by name so that stores without them still show. */
const DEVICE_STATE_TABLES = ["device_states", "device_state"];
const DEVICE_LOG_TABLES = ["device_log", "device_logs"];
const RECOMMENDATION_TABLES = ["recommendations"];

/**
 * A read-only view of a campaign store for the dashboard. `changed()` is the cheap
 * poll: SQLite's `data_version` moves whenever another connection (the running
 * campaign) commits, so the server rebuilds snapshots only when something landed.
 */
export class StoreFeed {
  readonly file: string;
  private readonly db: Database.Database;
  private lastVersion = -1;

  constructor(file: string) {
    this.file = file;
    try {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
      this.db.prepare("SELECT COUNT(*) FROM campaigns").get();
    } catch (e) {
      throw new FormatError(
        `${file}: cannot be read as a campaign store (${(e as Error).message})`,
        "pass the --store file that `sdfl campaign` writes (it must exist; start the campaign first)",
      );
    }
  }

  /** True when the store changed since the last call (the first call is always true). */
  changed(): boolean {
    const v = Number(this.db.pragma("data_version", { simple: true }));
    if (v === this.lastVersion) return false;
    this.lastVersion = v;
    return true;
  }

  /** The campaigns of the store, oldest first. */
  campaigns(): CampaignSummary[] {
    const rows = this.db.prepare("SELECT id, status, lab, strategy, created_at, settings FROM campaigns ORDER BY id").all() as Record<string, unknown>[];
    const counts = this.db
      .prepare("SELECT campaign_id AS id, SUM(status = 'done') AS done, SUM(phase = 'init') AS init FROM experiments GROUP BY campaign_id")
      .all() as {
      id: number;
      done: number;
      init: number;
    }[];
    const byId = new Map(counts.map((c) => [c.id, c]));
    return rows.map((r) => {
      const c = byId.get(Number(r.id));
      return {
        id: Number(r.id),
        status: String(r.status),
        lab: String(r.lab),
        strategy: String(r.strategy),
        createdAt: String(r.created_at),
        done: Number(c?.done ?? 0),
        total: Number(c?.init ?? 0) + budgetOf(String(r.settings)),
      };
    });
  }

  /**
   * The snapshot for one campaign (default the newest). An unknown id is reported in the
   * snapshot's campaign list and yields no campaign view.
   */
  snapshot(campaignId?: number, stop?: { canStop: boolean; stoppable?: number }): DashboardSnapshot {
    const campaigns = this.campaigns();
    const id = campaignId ?? campaigns[campaigns.length - 1]?.id;
    const summary = campaigns.find((c) => c.id === id);
    return {
      store: this.file,
      at: new Date().toISOString(),
      campaigns,
      ...(summary ? { campaign: this.view(summary) } : {}),
      canStop: stop?.canStop ?? false,
      ...(stop?.stoppable !== undefined ? { stoppable: stop.stoppable } : {}),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private view(c: CampaignSummary): CampaignView {
    const rows = this.db.prepare("SELECT * FROM experiments WHERE campaign_id = ? ORDER BY idx").all(c.id) as (ExperimentRow & {
      measured_at: string | null;
    })[];
    const records = rows.map((r) => ({ rec: rowToExperiment(r), measuredAt: r.measured_at ?? undefined }));
    const experiments = records.map(({ rec, measuredAt }) => toDashboardExperiment(rec, measuredAt));
    const done = experiments.filter((e) => e.measured !== undefined);
    // A campaign on its own problem (not the paper's) shows that problem's objective, goal and units.
    const problem = this.problemOf(c.id);
    const own = problem && notThePaperProblem(problem, { allowFixed: true }) !== undefined ? problem : undefined;
    const sign = own?.objective.goal === "minimize" ? -1 : 1;
    const bestSoFar: { index: number; value: number }[] = [];
    let best: CampaignView["best"];
    for (const e of done) {
      if (!Number.isFinite(e.measured!)) continue;
      if (!best || sign * e.measured! > sign * best.value) best = { index: e.index, value: e.measured!, condition: e.condition };
      bestSoFar.push({ index: e.index, value: best.value });
    }
    const pace = secondsPerExperiment(records.map((r) => ({ source: r.rec.source, status: r.rec.status, measuredAt: r.measuredAt })));
    const remaining = Math.max(0, c.total - done.length);
    const last = Math.max(...records.map((r) => (r.measuredAt ? Date.parse(r.measuredAt) : -Infinity)));
    const quietSeconds = Number.isFinite(last) ? (Date.now() - last) / 1000 : undefined;
    // "running" in the store but silent for much longer than an experiment takes: the process was stopped or died.
    const stale = c.status === "running" && quietSeconds !== undefined && quietSeconds > Math.max(120, 10 * (pace ?? 0));
    const view: CampaignView = {
      id: c.id,
      status: c.status,
      lab: c.lab,
      strategy: c.strategy,
      objective: own
        ? `${own.objective.name}${own.objective.unit ? ` (${own.objective.unit})` : ""}`
        : TEST_FUNCTIONS[c.lab.split("+")[0].replace(/-reactor5d$/, "")]
          ? `${c.lab.split("+")[0]} value`
          : "PLQY",
      inputs: own ? [...own.space.inputs, ...own.fixed].map((s) => s.name) : Object.keys(experiments[0]?.condition ?? {}),
      ...(own ? { goal: own.objective.goal, units: Object.fromEntries([...own.space.inputs, ...own.fixed].map((s) => [s.name, s.unit])) } : {}),
      done: done.length,
      failed: experiments.filter((e) => e.status === "failed").length,
      total: c.total,
      ...(experiments.find((e) => e.status === "running") ? { running: experiments.find((e) => e.status === "running")!.index } : {}),
      ...(pace !== undefined ? { secondsPerExperiment: pace, etaSeconds: c.status === "running" ? remaining * pace : 0 } : {}),
      ...(best ? { best } : {}),
      ...(stale ? { stale: true } : {}),
      ...(Number.isFinite(last) ? { lastMeasuredAt: new Date(last).toISOString() } : {}),
      bestSoFar,
      experiments,
      spectra: latestSpectra(records.map((r) => r.rec)),
    };
    const rec = this.recommendation(c.id) ?? storedRecommendation(records.map((r) => r.rec)) ?? recommendationFromProposals(experiments);
    if (rec) view.recommendation = rec;
    const states = this.optionalRows(DEVICE_STATE_TABLES, c.id, 50);
    const log = this.optionalRows(DEVICE_LOG_TABLES, c.id, 500);
    if (log) view.deviceLog = log.slice(0, 100);
    // Without a state table, a device's state is its newest reading, syringe account or command in the log.
    const fromLog = log?.filter((r) => r.kind === "reading" || r.kind === "syringe" || r.kind === "command");
    const devices = states ?? (fromLog && fromLog.length ? fromLog : undefined);
    if (devices) view.devices = latestPerDevice(devices);
    return view;
  }

  /** Newest rows of the first existing table among `names`, filtered by campaign when it has a campaign_id column. */
  private optionalRows(names: string[], campaignId: number, limit: number): Record<string, unknown>[] | undefined {
    const table = names.find((n) => this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(n));
    if (!table) return undefined;
    const cols = (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    const where = cols.includes("campaign_id") ? "WHERE campaign_id = ?" : "";
    const sql = `SELECT * FROM ${table} ${where} ORDER BY rowid DESC LIMIT ${limit}`;
    const rows = (where ? this.db.prepare(sql).all(campaignId) : this.db.prepare(sql).all()) as Record<string, unknown>[];
    return rows.map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => k !== "campaign_id")
          .map(([k, v]) => [k, parseMaybeJson(v)]),
      ),
    );
  }

  /** The problem a campaign stored in its settings (the built-in one for older stores); undefined when unreadable. */
  private problemOf(campaignId: number): Problem | undefined {
    try {
      const row = this.db.prepare("SELECT settings FROM campaigns WHERE id = ?").get(campaignId) as { settings: string } | undefined;
      return row ? campaignProblem(JSON.parse(row.settings) as { problem?: unknown }) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The newest row of a recommendations table (issue 12's per-step recommendation), if the store has one. */
  private recommendation(campaignId: number): CampaignView["recommendation"] | undefined {
    const rows = this.optionalRows(RECOMMENDATION_TABLES, campaignId, 1);
    const r = rows?.[0];
    if (!r) return undefined;
    const condition = (typeof r.condition === "object" && r.condition !== null ? r.condition : pickNumbers(r, ["T", "CuI", "ZnI2", "CsOA", "ODE"])) as Record<
      string,
      number
    >;
    return {
      index: Number(r.idx ?? r.index ?? -1),
      condition,
      ...(typeof r.mean === "number" ? { mean: r.mean } : {}),
      ...(typeof r.std === "number" ? { std: r.std } : {}),
      source: "recommendations table",
    };
  }
}

function toDashboardExperiment(rec: ExperimentRecord, measuredAt: string | undefined): DashboardExperiment {
  const info = rec.info ?? {};
  const mean = num(info.mean);
  const e: DashboardExperiment = { index: rec.index, phase: rec.phase, status: rec.status, condition: { ...rec.condition } };
  if (mean !== undefined) {
    const std = num(info.std);
    const acq = num(info.acquisitionValue);
    e.predicted = { mean, ...(std !== undefined ? { std } : {}), ...(acq !== undefined ? { acquisition: acq } : {}) };
  }
  const r = info.recommendation as { condition?: unknown; mean?: unknown; std?: unknown; observations?: unknown } | undefined;
  if (r && typeof r.condition === "object" && r.condition !== null) {
    const [m, sd, n] = [num(r.mean), num(r.std), num(r.observations)];
    e.recommendation = {
      condition: { ...(r.condition as Record<string, number>) },
      ...(m !== undefined ? { mean: m } : {}),
      ...(sd !== undefined ? { std: sd } : {}),
      ...(n !== undefined ? { observations: n } : {}),
    };
  }
  if (rec.measurement) {
    e.measured = rec.measurement.objective;
    e.abs300 = rec.measurement.outcomes.abs300;
    e.pla = rec.measurement.outcomes.pla;
  }
  if (measuredAt) e.measuredAt = measuredAt;
  if (rec.error) e.error = rec.error;
  return e;
}

/** Mean wall-clock seconds between consecutive lab measurements (needs two). */
function secondsPerExperiment(rows: { source: string; status: string; measuredAt?: string }[]): number | undefined {
  const times = rows
    .filter((r) => r.source === "lab" && r.status === "done" && r.measuredAt)
    .map((r) => Date.parse(r.measuredAt!))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (times.length < 2) return undefined;
  return (times[times.length - 1] - times[0]) / 1000 / (times.length - 1);
}

/**
 * The model's recommendation (posterior-mean maximiser) the runner stores with each
 * proposal (`info.recommendation`), newest first.
 */
function storedRecommendation(records: ExperimentRecord[]): CampaignView["recommendation"] | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = (records[i].info as { recommendation?: { condition?: Record<string, number>; mean?: unknown; std?: unknown } } | undefined)?.recommendation;
    if (!r || typeof r.condition !== "object") continue;
    return {
      index: records[i].index,
      condition: r.condition,
      ...(num(r.mean) !== undefined ? { mean: num(r.mean) } : {}),
      ...(num(r.std) !== undefined ? { std: num(r.std) } : {}),
      source: "posterior-mean maximiser",
    };
  }
  return undefined;
}

/** Without a stored recommendation, the newest proposal that carries a model prediction stands for the model's current choice. */
function recommendationFromProposals(experiments: DashboardExperiment[]): CampaignView["recommendation"] | undefined {
  for (let i = experiments.length - 1; i >= 0; i--) {
    const e = experiments[i];
    if (e.predicted)
      return {
        index: e.index,
        condition: e.condition,
        mean: e.predicted.mean,
        ...(e.predicted.std !== undefined ? { std: e.predicted.std } : {}),
        source: "newest proposal",
      };
  }
  return undefined;
}

/** Processed spectra stored in the measurement metadata (`meta.spectra`), newest experiment first, at most 3. */
function latestSpectra(records: ExperimentRecord[]): DashboardSpectrum[] {
  const out: DashboardSpectrum[] = [];
  for (let i = records.length - 1; i >= 0 && out.length < 3; i--) {
    const s = (records[i].measurement?.meta as { spectra?: unknown } | undefined)?.spectra;
    if (!s || typeof s !== "object") continue;
    for (const [label, v] of Object.entries(s as Record<string, { x?: unknown; y?: unknown }>)) {
      if (Array.isArray(v?.x) && Array.isArray(v?.y)) out.push({ index: records[i].index, label, x: v.x as number[], y: v.y as number[] });
    }
  }
  return out;
}

/** Newest row per device (rows come newest first). */
function latestPerDevice(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const r of rows) {
    const key = String(r.device ?? r.name ?? r.device_id ?? out.length);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

function budgetOf(settings: string): number {
  try {
    const b = (JSON.parse(settings) as { budget?: unknown }).budget;
    return typeof b === "number" && Number.isFinite(b) ? b : 0;
  } catch {
    return 0;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function pickNumbers(r: Record<string, unknown>, keys: string[]): Record<string, number> {
  return Object.fromEntries(keys.filter((k) => typeof r[k] === "number").map((k) => [k, r[k] as number]));
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== "string" || !/^[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
