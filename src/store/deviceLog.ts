/**
 * The device log of a campaign store: every plan step, command, reply, reading, syringe
 * account and safety event of a live lab, beside the experiments. The table is created
 * on first use (older stores simply have none). Writes are synchronous: an entry is in
 * the file before the command it records is acted on.
 */
import type Database from "better-sqlite3";
import type { DeviceLog, DeviceLogEntry, DeviceLogKind } from "../hil/deviceLog.js";

const DDL = `
CREATE TABLE IF NOT EXISTS device_log (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  written_at  TEXT NOT NULL,
  lab_time_s  REAL,
  device      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL,
  data        TEXT
);
CREATE INDEX IF NOT EXISTS device_log_by_campaign ON device_log (campaign_id, id);
`;

/** One stored entry. */
export interface StoredDeviceLogEntry extends DeviceLogEntry {
  id: number;
  writtenAt: string;
}

/** A campaign's device log in its store. */
export class StoreDeviceLog implements DeviceLog {
  private readonly insert: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    readonly campaignId: number,
  ) {
    db.exec(DDL);
    this.insert = db.prepare("INSERT INTO device_log (campaign_id, written_at, lab_time_s, device, kind, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
  }

  record(e: DeviceLogEntry): void {
    this.insert.run(
      this.campaignId,
      new Date().toISOString(),
      Number.isFinite(e.t_s) ? e.t_s : null,
      e.device,
      e.kind,
      e.message,
      e.data === undefined ? null : JSON.stringify(e.data),
    );
  }

  /** Entries in the order written, optionally of one kind. */
  entries(kind?: DeviceLogKind): StoredDeviceLogEntry[] {
    const rows = this.db
      .prepare(`SELECT id, written_at, lab_time_s, device, kind, message, data FROM device_log WHERE campaign_id = ?${kind ? " AND kind = ?" : ""} ORDER BY id`)
      .all(...(kind ? [this.campaignId, kind] : [this.campaignId])) as {
      id: number;
      written_at: string;
      lab_time_s: number | null;
      device: string;
      kind: DeviceLogKind;
      message: string;
      data: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      writtenAt: r.written_at,
      t_s: r.lab_time_s ?? NaN,
      device: r.device,
      kind: r.kind,
      message: r.message,
      data: r.data === null ? undefined : JSON.parse(r.data),
    }));
  }
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
function cell(v: unknown): string {
  const s = v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? "" : typeof v === "string" ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The device log as CSV: id, written_at, lab_time_s, device, kind, message, data (JSON). */
export function deviceLogCsv(entries: readonly StoredDeviceLogEntry[]): string {
  const lines = ["id,written_at,lab_time_s,device,kind,message,data"];
  for (const e of entries) lines.push([e.id, e.writtenAt, e.t_s, e.device, e.kind, e.message, e.data].map(cell).join(","));
  return lines.join("\n") + "\n";
}
