import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { FormatError, SdflError } from "../core/errors.js";
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
   * was written by a newer schema version, is refused with a {@link FormatError}; a
   * missing folder, a permission problem or a corrupt file gets an error naming the
   * path and the cause. `readonly` never writes (and never creates) anything; otherwise
   * every existing store passes SQLite's quick integrity check before anything is read from or written into it.
   */
  static open(file: string, options: { create?: boolean; readonly?: boolean } = {}): CampaignStore {
    const exists = existsSync(file);
    if (exists && statSync(file).isDirectory()) throw new FormatError(`${file}: is a folder, not a campaign store file`, "give the path of the .sqlite file");
    if (!exists && (!options.create || options.readonly)) {
      throw new FormatError(`${file}: campaign store not found`, "check the --store path, or start a new campaign without --resume");
    }
    if (!exists) checkCreatable(file);
    const empty = exists && checkSqliteHeader(file, !!options.create && !options.readonly);
    let db: Database.Database;
    try {
      db = new Database(file, options.readonly ? { readonly: true, fileMustExist: true } : {});
    } catch (e) {
      throw storeError(file, e);
    }
    try {
      if (!options.readonly) {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = FULL");
      }
      db.pragma("foreign_keys = ON");
      // Before anything is written (or read): a damaged store is named as such, never half-read.
      if (exists && !empty) integrityCheck(db, file);
      const store = new CampaignStore(file, db);
      store.initOrCheckSchema(!!options.readonly);
      return store;
    } catch (e) {
      db.close();
      if (e instanceof SdflError) throw e;
      throw storeError(file, e);
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

  private initOrCheckSchema(readonly: boolean): void {
    const hasInfo = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'store_info'").get();
    const tableCount = (this.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
    if (!hasInfo) {
      if (tableCount > 0) {
        throw new FormatError(
          `${this.file}: an SQLite file, but not an sdfl campaign store (no store_info table)`,
          "pass a file written by `sdfl campaign`, or a new file name",
        );
      }
      if (readonly) throw new FormatError(`${this.file}: an empty file, not a campaign store`, "give a store written by `sdfl campaign`");
      this.db.transaction(() => {
        this.db.exec(SCHEMA_V2);
        this.db.exec(NOTES_TABLE);
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
    if (v === 1) {
      if (readonly)
        throw new FormatError(
          `${this.file}: a store of schema version 1, written by an older sdfl`,
          "open it once with a command that writes (e.g. `sdfl campaign --resume --store FILE`) to upgrade it in place, all rows kept",
        );
      this.db.transaction(() => this.db.exec(MIGRATE_V1_TO_V2))();
    }
    // Added after schema version 1 was released: old readers ignore it, old stores get it on first write.
    if (!readonly) this.db.exec(NOTES_TABLE);
  }

  /** A note of a campaign (lock holder, failure reason), or undefined. Stores without notes have none. */
  note(campaignId: number, key: string): string | undefined {
    if (!this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'campaign_notes'").get()) return undefined;
    const r = this.db.prepare("SELECT value FROM campaign_notes WHERE campaign_id = ? AND key = ?").get(campaignId, key) as { value: string } | undefined;
    return r?.value;
  }

  /** Set (or with undefined, delete) a note of a campaign. */
  setNote(campaignId: number, key: string, value: string | undefined): void {
    if (value === undefined) this.db.prepare("DELETE FROM campaign_notes WHERE campaign_id = ? AND key = ?").run(campaignId, key);
    else this.db.prepare("INSERT OR REPLACE INTO campaign_notes (campaign_id, key, value) VALUES (?, ?, ?)").run(campaignId, key, value);
  }

  /**
   * Take the run lock of a campaign for `holder`, atomically (one immediate transaction).
   * An existing lock for which `stillHeld` is true is returned and left alone; otherwise
   * (no lock, or a holder that is gone) the lock is taken and the stale holder returned
   * with `taken: true`.
   */
  acquireLock(campaignId: number, holder: LockHolder, stillHeld: (h: LockHolder) => boolean): { held?: LockHolder; stale?: LockHolder } {
    return this.db
      .transaction(() => {
        const raw = this.note(campaignId, "lock");
        const current = raw ? (JSON.parse(raw) as LockHolder) : undefined;
        if (current && stillHeld(current)) return { held: current };
        this.setNote(campaignId, "lock", JSON.stringify(holder));
        return current ? { stale: current } : {};
      })
      .immediate();
  }

  /** Release the run lock if `pid` on `host` holds it. */
  releaseLock(campaignId: number, holder: Pick<LockHolder, "pid" | "host">): void {
    if (!this.db.open) return;
    const raw = this.note(campaignId, "lock");
    const current = raw ? (JSON.parse(raw) as LockHolder) : undefined;
    if (current && current.pid === holder.pid && current.host === holder.host) this.setNote(campaignId, "lock", undefined);
  }

  /** Mark a campaign failed and record why (shown on resume). */
  failCampaign(campaignId: number, reason: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE campaigns SET status = 'failed', finished_at = ? WHERE id = ?").run(now(), campaignId);
      this.setNote(campaignId, "failure", reason);
    })();
  }

  /** A failed campaign runs again (on resume): status back to running, the failure note kept as `previous-failure`. */
  reopenCampaign(campaignId: number): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE campaigns SET status = 'running', finished_at = NULL WHERE id = ? AND status = 'failed'").run(campaignId);
      const f = this.note(campaignId, "failure");
      if (f !== undefined) this.setNote(campaignId, "previous-failure", f);
      this.setNote(campaignId, "failure", undefined);
    })();
  }

  /** Replace the stored settings of a campaign (an explicit change on resume, such as --budget). */
  updateSettings(campaignId: number, settings: Record<string, unknown>): void {
    this.db.prepare("UPDATE campaigns SET settings = ? WHERE id = ?").run(JSON.stringify(settings), campaignId);
  }
}

/** Who runs a campaign: process id, host name and ISO start time. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

const NOTES_TABLE = `CREATE TABLE IF NOT EXISTS campaign_notes (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  PRIMARY KEY (campaign_id, key)
)`;

const STORE_HINT = "pass a file written by `sdfl campaign`, or a new file name";

/** An error from opening or reading a store, with the path and the cause in words. */
function storeError(file: string, e: unknown): SdflError {
  const code = String((e as { code?: unknown }).code ?? "");
  const msg = (e as Error).message ?? String(e);
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB" || /malformed|not a database/i.test(msg))
    return new FormatError(
      `${file}: the campaign store is corrupt (${msg})`,
      "restore it from a backup (or try `sqlite3 FILE .recover`); sdfl writes nothing into a damaged store",
    );
  if (code === "SQLITE_READONLY" || /readonly/i.test(msg))
    return new SdflError(`${file}: the campaign store is read-only (${msg})`, "make the file and its folder writable, or copy the store elsewhere");
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_PERM" || code === "SQLITE_AUTH")
    return new SdflError(`${file}: cannot open the campaign store (${msg})`, "check that the folder exists and that you may read and write there");
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED")
    return new SdflError(`${file}: the store is busy (${msg})`, "another sdfl may be writing it; try again");
  return new FormatError(`${file}: cannot be read as a campaign store (${msg})`, STORE_HINT);
}

/** A new store's folder must exist and be writable. */
function checkCreatable(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir))
    throw new SdflError(`${file}: cannot create the campaign store: the folder ${dir} does not exist`, "create the folder first, or choose another --store");
  if (!statSync(dir).isDirectory()) throw new SdflError(`${file}: cannot create the campaign store: ${dir} is a file, not a folder`, "choose another --store");
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new SdflError(`${file}: cannot create the campaign store: no permission to write in ${dir}`, "choose a --store in a folder you can write to");
  }
}

/** SQLite's quick integrity check: a damaged store is refused before anything is written into it. */
function integrityCheck(db: Database.Database, file: string): void {
  const rows = db.pragma("quick_check") as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((v) => v !== "ok");
  if (problems.length)
    throw new FormatError(
      `${file}: the campaign store is corrupt (integrity check: ${problems.slice(0, 3).join("; ")})`,
      "restore it from a backup (or try `sqlite3 FILE .recover`); sdfl writes nothing into a damaged store",
    );
}

/**
 * Refuse a non-SQLite file before SQLite touches it (and possibly writes a WAL beside it).
 * @returns true for an empty file, which only a creating open (`allowEmpty`) initialises.
 */
function checkSqliteHeader(file: string, allowEmpty: boolean): boolean {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SdflError(
      `${file}: cannot read the campaign store (${code === "EACCES" ? "permission denied" : (code ?? (e as Error).message)})`,
      "check the file's permissions",
    );
  }
  const buf = Buffer.alloc(16);
  const n = readSync(fd, buf, 0, 16, 0);
  closeSync(fd);
  if (n === 0) {
    if (allowEmpty) return true; // a new, empty file: SQLite initialises it
    throw new FormatError(`${file}: an empty file, not a campaign store`, "give a store written by `sdfl campaign`");
  }
  if (n < 16 || buf.toString("latin1") !== SQLITE_MAGIC) {
    throw new FormatError(`${file}: not an SQLite database, so not a campaign store`, "pass a file written by `sdfl campaign`, or a new file name");
  }
  return false;
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
