import { existsSync, openSync, readSync, closeSync } from "node:fs";
import Database from "better-sqlite3";
import { FormatError } from "../core/errors.js";
import type { Measurement } from "../bo/lab.js";
import type { CampaignJournal, ExperimentRecord, FitRecord, ProposalRecord } from "../bo/campaign/journal.js";
import { MIGRATE_V1_TO_V2, SCHEMA_V2, SCHEMA_VERSION, STORE_FORMAT } from "./schema.js";
import { rowToExperiment, type ExperimentRow } from "./rows.js";
import { StoreDeviceLog } from "./deviceLog.js";

/** One campaign's header row. */
export interface CampaignInfo {
  id: number;
  createdAt: string;
  finishedAt?: string;
  status: "running" | "finished" | "failed";
  lab: string;
  strategy: string;
  dataSource: string;
  seed: number;
  /** Everything needed to rebuild the campaign on resume (CLI settings as JSON). */
  settings: Record<string, unknown>;
}

/** What a new campaign is created with. */
export type NewCampaign = Omit<CampaignInfo, "id" | "createdAt" | "finishedAt" | "status">;

const SQLITE_MAGIC = "SQLite format 3\u0000";

/**
 * The campaign store: one SQLite file (WAL mode, synchronous FULL) holding any number of
 * campaigns with every proposal, measurement, surrogate fit and timing. Each write is
 * one transaction, committed before the call returns, so a crash loses nothing that a
 * call had reported as written.
 */
export class CampaignStore {
  readonly file: string;
  private readonly db: Database.Database;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
  }

  /**
   * Open (or with `create`, create) a store file. A file that is not an sdfl store, or
   * was written by a newer schema version, is refused with a {@link FormatError}.
   */
  static open(file: string, options: { create?: boolean } = {}): CampaignStore {
    const exists = existsSync(file);
    if (!exists && !options.create) {
      throw new FormatError(`${file}: campaign store not found`, "check the --store path, or start a new campaign without --resume");
    }
    if (exists) checkSqliteHeader(file);
    const db = new Database(file);
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      const store = new CampaignStore(file, db);
      store.initOrCheckSchema();
      return store;
    } catch (e) {
      db.close();
      if (e instanceof FormatError) throw e;
      throw new FormatError(
        `${file}: cannot be read as a campaign store (${(e as Error).message})`,
        "pass a file written by `sdfl campaign`, or a new file name",
      );
    }
  }

  /** The SQLite journal mode in force ("wal"). */
  journalMode(): string {
    return String(this.db.pragma("journal_mode", { simple: true }));
  }

  /** Create a campaign; returns its id. */
  createCampaign(c: NewCampaign): number {
    const r = this.db
      .prepare("INSERT INTO campaigns (created_at, status, lab, strategy, data_source, seed, settings) VALUES (?, 'running', ?, ?, ?, ?, ?)")
      .run(now(), c.lab, c.strategy, c.dataSource, c.seed, JSON.stringify(c.settings));
    return Number(r.lastInsertRowid);
  }

  /** All campaigns, oldest first. */
  campaigns(): CampaignInfo[] {
    const rows = this.db.prepare("SELECT * FROM campaigns ORDER BY id").all() as Record<string, unknown>[];
    return rows.map(rowToCampaign);
  }

  /** One campaign; a {@link FormatError} names the ids present when it does not exist. */
  campaign(id: number): CampaignInfo {
    const row = this.db.prepare("SELECT * FROM campaigns WHERE id = ?").get(id) as Record<string, unknown> | undefined;
    if (!row) {
      const ids = this.campaigns().map((c) => c.id);
      throw new FormatError(
        `${this.file}: no campaign ${id}; the store holds ${ids.length ? ids.join(", ") : "no campaigns"}`,
        "pick one of those with --campaign ID",
      );
    }
    return rowToCampaign(row);
  }

  /** The journal of one campaign, through which the runner writes. */
  journal(campaignId: number): CampaignJournal {
    this.campaign(campaignId);
    return new SqliteJournal(this.db, campaignId);
  }

  /** The device log of a campaign (live labs journal every command and reading there). */
  deviceLog(campaignId: number): StoreDeviceLog {
    return new StoreDeviceLog(this.db, campaignId);
  }

  /** Experiments of a campaign by index. */
  experiments(campaignId: number): ExperimentRecord[] {
    return this.journal(campaignId).experiments();
  }

  /** Surrogate fits of a campaign in the order written. */
  fits(campaignId: number): FitRecord[] {
    const rows = this.db.prepare("SELECT * FROM surrogate_fits WHERE campaign_id = ? ORDER BY id").all(campaignId) as Record<string, unknown>[];
    return rows.map((r) => ({
      index: Number(r.idx),
      surrogate: String(r.surrogate),
      seconds: Number(r.seconds),
      meta: JSON.parse(String(r.meta)),
      warnings: JSON.parse(String(r.warnings)),
    }));
  }

  /** Timings of a campaign: seconds per (experiment index, step). */
  timings(campaignId: number): { index: number; step: string; seconds: number }[] {
    const rows = this.db.prepare("SELECT idx, step, seconds FROM timings WHERE campaign_id = ? ORDER BY id").all(campaignId) as Record<string, unknown>[];
    return rows.map((r) => ({ index: Number(r.idx), step: String(r.step), seconds: Number(r.seconds) }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private initOrCheckSchema(): void {
    const hasInfo = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'store_info'").get();
    const tableCount = (this.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    if (!hasInfo) {
      if (tableCount > 0) {
        throw new FormatError(
          `${this.file}: an SQLite file, but not an sdfl campaign store (no store_info table)`,
          "pass a file written by `sdfl campaign`, or a new file name",
        );
      }
      this.db.transaction(() => {
        this.db.exec(SCHEMA_V2);
        const ins = this.db.prepare("INSERT INTO store_info (key, value) VALUES (?, ?)");
        ins.run("format", STORE_FORMAT);
        ins.run("schema_version", String(SCHEMA_VERSION));
        ins.run("created_at", now());
      })();
      return;
    }
    const info = Object.fromEntries(
      (this.db.prepare("SELECT key, value FROM store_info").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    if (info.format !== STORE_FORMAT) {
      throw new FormatError(`${this.file}: format "${info.format}" is not an sdfl campaign store`, "pass a file written by `sdfl campaign`");
    }
    const v = Number(info.schema_version);
    if (!Number.isInteger(v) || v > SCHEMA_VERSION) {
      throw new FormatError(
        `${this.file}: written with store schema version ${info.schema_version}; this sdfl reads versions up to ${SCHEMA_VERSION}`,
        "upgrade sdfl to read this store",
      );
    }
    // Stores of schema version 1 (the paper's five inputs as columns) are upgraded in place, all rows kept.
    if (v === 1) this.db.transaction(() => this.db.exec(MIGRATE_V1_TO_V2))();
  }
}

/** Refuse a non-SQLite file before SQLite touches it (and possibly writes a WAL beside it). */
function checkSqliteHeader(file: string): void {
  const fd = openSync(file, "r");
  const buf = Buffer.alloc(16);
  const n = readSync(fd, buf, 0, 16, 0);
  closeSync(fd);
  if (n === 0) return; // empty file: SQLite initialises it
  if (n < 16 || buf.toString("latin1") !== SQLITE_MAGIC) {
    throw new FormatError(`${file}: not an SQLite database, so not a campaign store`, "pass a file written by `sdfl campaign`, or a new file name");
  }
}

function rowToCampaign(r: Record<string, unknown>): CampaignInfo {
  return {
    id: Number(r.id),
    createdAt: String(r.created_at),
    ...(r.finished_at ? { finishedAt: String(r.finished_at) } : {}),
    status: r.status as CampaignInfo["status"],
    lab: String(r.lab),
    strategy: String(r.strategy),
    dataSource: String(r.data_source),
    seed: Number(r.seed),
    settings: JSON.parse(String(r.settings)),
  };
}

function now(): string {
  return new Date().toISOString();
}

/** The journal of one campaign inside a store; each method is one committed transaction. */
class SqliteJournal implements CampaignJournal {
  constructor(
    private readonly db: Database.Database,
    private readonly id: number,
  ) {}

  experiments(): ExperimentRecord[] {
    const rows = this.db.prepare("SELECT * FROM experiments WHERE campaign_id = ? ORDER BY idx").all(this.id) as ExperimentRow[];
    return rows.map(rowToExperiment);
  }

  propose(records: readonly ProposalRecord[]): void {
    const ins = this.insertStatement();
    this.db.transaction(() => {
      for (const r of records) ins.run(this.proposalParams(r, "proposed"));
    })();
  }

  addDone(records: readonly { proposal: ProposalRecord; measurement: Measurement }[]): void {
    const ins = this.insertStatement();
    this.db.transaction(() => {
      for (const { proposal, measurement } of records) {
        ins.run(this.proposalParams(proposal, "proposed"));
        this.writeMeasurement(proposal.index, measurement);
      }
    })();
  }

  markRunning(index: number): void {
    this.update("UPDATE experiments SET status = 'running' WHERE campaign_id = ? AND idx = ?", index);
  }

  recordMeasurement(index: number, m: Measurement, timings?: Record<string, number>): void {
    this.db.transaction(() => {
      this.writeMeasurement(index, m);
      for (const [step, s] of Object.entries(timings ?? {})) this.insertTiming(index, step, s);
    })();
  }

  recordMeasurements(entries: readonly { index: number; measurement: Measurement }[]): void {
    this.db.transaction(() => {
      for (const e of entries) this.writeMeasurement(e.index, e.measurement);
    })();
  }

  markFailed(index: number, error: string): void {
    const r = this.db.prepare("UPDATE experiments SET status = 'failed', error = ? WHERE campaign_id = ? AND idx = ?").run(error, this.id, index);
    if (r.changes !== 1) throw new Error(`no experiment ${index} in campaign ${this.id}`);
  }

  recordFit(fit: FitRecord): void {
    this.db
      .prepare("INSERT INTO surrogate_fits (campaign_id, idx, surrogate, seconds, meta, warnings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(this.id, fit.index, fit.surrogate, fit.seconds, JSON.stringify(fit.meta ?? {}), JSON.stringify(fit.warnings ?? []), now());
  }

  recordTiming(index: number, step: string, seconds: number): void {
    this.insertTiming(index, step, seconds);
  }

  finish(status: "finished" | "failed"): void {
    this.db.prepare("UPDATE campaigns SET status = ?, finished_at = ? WHERE id = ?").run(status, now(), this.id);
  }

  private insertStatement(): Database.Statement {
    return this.db.prepare(
      `INSERT INTO experiments (campaign_id, idx, phase, source, status, condition, set_points, proposal_info, proposed_at)
       VALUES (@campaign, @idx, @phase, @source, @status, @condition, @setPoints, @info, @at)`,
    );
  }

  private proposalParams(r: ProposalRecord, status: string): Record<string, unknown> {
    return {
      campaign: this.id,
      idx: r.index,
      phase: r.phase,
      source: r.source,
      status,
      condition: JSON.stringify(r.condition),
      setPoints: JSON.stringify(r.setPoints ?? {}),
      info: r.info === undefined ? null : JSON.stringify(r.info),
      at: now(),
    };
  }

  private writeMeasurement(index: number, m: Measurement): void {
    const r = this.db
      .prepare(
        `UPDATE experiments SET status = 'done', run_condition = ?, run_set_points = ?, outcomes = ?, objective = ?,
         lab_started_at = ?, lab_finished_at = ?, measured_at = ?, measurement_meta = ?, error = NULL
         WHERE campaign_id = ? AND idx = ?`,
      )
      .run(
        JSON.stringify(m.condition),
        JSON.stringify(m.setPoints ?? {}),
        JSON.stringify(m.outcomes),
        Number.isFinite(m.objective) ? m.objective : null,
        m.startedAt,
        m.finishedAt,
        now(),
        m.meta === undefined ? null : JSON.stringify(m.meta),
        this.id,
        index,
      );
    if (r.changes !== 1) throw new Error(`no experiment ${index} in campaign ${this.id}`);
  }

  private insertTiming(index: number, step: string, seconds: number): void {
    this.db.prepare("INSERT INTO timings (campaign_id, idx, step, seconds) VALUES (?, ?, ?, ?)").run(this.id, index, step, seconds);
  }

  private update(sql: string, index: number): void {
    const r = this.db.prepare(sql).run(this.id, index);
    if (r.changes !== 1) throw new Error(`no experiment ${index} in campaign ${this.id}`);
  }
}
