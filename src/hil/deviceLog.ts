/**
 * The device log: every plan step (before it is acted on), command, reply, reading and
 * safety event of a live lab. The campaign store implements it (src/store/deviceLog.ts)
 * so the log sits beside the experiments; writes are synchronous, so an entry is on disk
 * before the command it describes is sent.
 */

/** What an entry records. */
export type DeviceLogKind = "step" | "command" | "reading" | "event" | "syringe";

/** One device-log entry. */
export interface DeviceLogEntry {
  /** Lab clock time, s. */
  t_s: number;
  /** Device name ("pump:CuI", "heater:plate") or "lab". */
  device: string;
  kind: DeviceLogKind;
  message: string;
  /** Structured details (reply lines, readings, volumes). */
  data?: unknown;
}

/** Where entries go. */
export interface DeviceLog {
  record(entry: DeviceLogEntry): void;
}

/** A log that keeps entries in memory (dry runs, tests). */
export class MemoryDeviceLog implements DeviceLog {
  readonly entries: DeviceLogEntry[] = [];
  record(entry: DeviceLogEntry): void {
    this.entries.push(entry);
  }
}
