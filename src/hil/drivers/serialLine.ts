/**
 * Line-oriented request/reply over a byte stream (a serial port, a pseudo-terminal, a
 * mock binding). The stream is injected, so the same driver code runs over
 * `serialport`'s SerialPort, SerialPortMock, or anything with the same events.
 */
import { DeviceError } from "../../core/errors.js";

/** The part of a serialport stream the drivers use. */
export interface ByteStream {
  readonly isOpen: boolean;
  write(data: string, callback?: (error: Error | null | undefined) => void): boolean;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  close(callback?: (error: Error | null) => void): void;
}

/** How replies are framed and how long to wait for them. */
export interface LineOptions {
  /** Appended to every command: "\r" or "\r\n" (a Chemyx pump ignores a bare "\n"). */
  terminator: string;
  /** Give up on one reply after this many milliseconds (real time). */
  timeout_ms: number;
}

/**
 * A serial line: sends one command at a time and collects the reply lines. Errors are
 * DeviceErrors naming the device and the command.
 */
export class SerialLine {
  private buffer = "";
  private lines: string[] = [];
  /** Prompts (">") seen since the last command: the end of a reply for devices that print one. */
  private prompts = 0;
  private waiter?: () => void;
  private closedReason?: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly device: string,
    readonly path: string,
    private readonly stream: ByteStream,
    readonly options: LineOptions,
  ) {
    stream.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("latin1");
      const parts = this.buffer.split(/\r\n|\r|\n/);
      this.buffer = parts.pop() ?? "";
      // A prompt (">") may arrive without a line end: it carries no information.
      if (/^\s*>\s*$/.test(this.buffer)) {
        this.buffer = "";
        this.prompts++;
      }
      for (const p of parts) {
        if (/^\s*>/.test(p)) this.prompts++;
        const line = p.replace(/^\s*>\s*/, "").trim();
        if (line !== "") this.lines.push(line);
      }
      this.waiter?.();
    });
    stream.on("close", () => {
      this.closedReason ??= "the serial port closed (cable unplugged or adapter gone?)";
      this.waiter?.();
    });
    stream.on("error", (e: Error) => {
      this.closedReason ??= `serial port error: ${e.message}`;
      this.waiter?.();
    });
  }

  /** True while the port is usable. */
  get open(): boolean {
    return this.closedReason === undefined && this.stream.isOpen;
  }

  /**
   * Send `command` and collect reply lines until `done(lines)` returns a value (not
   * undefined) or the timeout passes. The command's own echo is dropped; `prompted` says
   * whether a ">" prompt arrived. Commands are serialized: a second call waits for the first.
   */
  request<T>(command: string, done: (lines: readonly string[], prompted: boolean) => T | undefined): Promise<{ value?: T; lines: string[] }> {
    const run = this.queue.then(
      () => this.requestNow(command, done),
      () => this.requestNow(command, done),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async requestNow<T>(command: string, done: (lines: readonly string[], prompted: boolean) => T | undefined): Promise<{ value?: T; lines: string[] }> {
    this.assertOpen(command);
    this.lines = [];
    this.buffer = "";
    this.prompts = 0;
    await new Promise<void>((resolve, reject) => {
      this.stream.write(command + this.options.terminator, (e) =>
        e ? reject(new DeviceError(this.device, `could not write "${command}" to ${this.path}: ${e.message}`, "check the cable and the port path")) : resolve(),
      );
    });
    const deadline = Date.now() + this.options.timeout_ms;
    for (;;) {
      const got = this.lines.filter((l) => l !== command);
      const value = done(got, this.prompts > 0);
      if (value !== undefined) return { value, lines: got };
      this.assertOpen(command);
      const left = deadline - Date.now();
      if (left <= 0) return { lines: got };
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }

  private assertOpen(command: string): void {
    if (!this.open) {
      throw new DeviceError(
        this.device,
        `cannot send "${command}" on ${this.path}: ${this.closedReason ?? "the port is not open"}`,
        "reconnect the device and resume the campaign",
      );
    }
  }

  /** Close the port (idempotent). */
  close(): Promise<void> {
    this.closedReason ??= "closed by sdfl";
    if (!this.stream.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.stream.close(() => resolve()));
  }
}
