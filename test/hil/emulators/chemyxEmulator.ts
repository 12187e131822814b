/**
 * A Chemyx Fusion pump emulator: the ASCII protocol of design.md ("Devices") with a
 * syringe that empties at the set rate on a given time base. Replies as a terminal
 * would: the command's echo, the answer, then a ">" prompt. Faults can be switched on.
 */

/** Faults a test can inject. */
export interface ChemyxFaults {
  /** Never answer. */
  silent?: boolean;
  /** Answer with line noise. */
  garbled?: boolean;
  /** Rates above this are clamped to it (the echo shows the clamped value). */
  maxRate?: number;
  /** The running pump stalls this many seconds after start (status 4). */
  stallAfter_s?: number;
}

export class ChemyxEmulator {
  units = 2;
  diameter = 0;
  rate = 0;
  volume = 0;
  running = false;
  stalled = false;
  private startedAt = 0;
  private dispensedAtStop = 0;
  /** Every command line received, for assertions. */
  readonly received: string[] = [];

  constructor(
    private readonly now_s: () => number,
    public faults: ChemyxFaults = {},
  ) {}

  /** Volume dispensed by the current (or last) run, uL. */
  dispensed(): number {
    if (!this.running) return this.dispensedAtStop;
    const t = this.now_s() - this.startedAt;
    const stallAt = this.faults.stallAfter_s ?? Infinity;
    const v = (this.rate * Math.min(t, stallAt)) / 60;
    if (t >= stallAt) this.stalled = true;
    if (v >= this.volume) {
      this.running = false;
      this.dispensedAtStop = this.volume;
      return this.volume;
    }
    return v;
  }

  /** 0 stopped, 1 running, 4 stalled. */
  statusCode(): number {
    this.dispensed();
    if (this.stalled) return 4;
    return this.running ? 1 : 0;
  }

  /** The rate actually pumping now (0 when stopped or stalled), uL/min. */
  actualRate(): number {
    return this.statusCode() === 1 ? this.rate : 0;
  }

  /** Handle one command line; returns the text to send back (possibly nothing). */
  handle(line: string): string {
    this.received.push(line);
    if (this.faults.silent) return "";
    if (this.faults.garbled) return `${line}\r\n#\x07?x1f~~\r\n>`;
    const answer = this.answer(
      line
        .trim()
        .toLowerCase()
        .replace(/^\d+\s+/, ""),
    );
    return `${line}\r\n${answer === undefined ? "" : answer + "\r\n"}>`;
  }

  private answer(cmd: string): string | undefined {
    let m: RegExpExecArray | null;
    if ((m = /^set units ([0-3])$/.exec(cmd))) return `units = ${(this.units = Number(m[1]))}`;
    if ((m = /^set diameter (\S+)$/.exec(cmd))) return `diameter = ${(this.diameter = Number(m[1]))}`;
    if ((m = /^set rate (\S+)$/.exec(cmd))) {
      this.rate = Math.min(Number(m[1]), this.faults.maxRate ?? Infinity);
      return `rate = ${this.rate}`;
    }
    if ((m = /^set volume (\S+)$/.exec(cmd))) return `volume = ${(this.volume = Number(m[1]))}`;
    if (cmd === "start") {
      this.dispensedAtStop = 0;
      this.stalled = false;
      this.running = this.rate > 0 && this.volume > 0;
      this.startedAt = this.now_s();
      return undefined;
    }
    if (cmd === "stop" || cmd === "pause") {
      this.dispensedAtStop = this.dispensed();
      this.running = false;
      this.stalled = false;
      return undefined;
    }
    if (cmd === "pump status") return String(this.statusCode());
    if (cmd === "dispensed volume") return `dispensed volume = ${Math.round(this.dispensed() * 1e4) / 1e4} ul`;
    return "error: unknown command";
  }
}
