/**
 * Watlow F4T temperature controller over Modbus (TCP or RTU) with `modbus-serial`:
 * holding registers, 32-bit IEEE-754 floats over two registers (word order
 * configurable, low word first by default), function codes 3 (read) and 16 (write).
 * Register map defaults from design.md ("Devices"): loop n set point 2782 + 160(n-1),
 * process value 2820. The set point is read back after every write; implausible
 * readings are retried a bounded number of times, then reported as a DeviceError.
 */
// modbus-serial is CommonJS; its typings describe module.exports as the namespace, whose `default` is the client class.
import modbus from "modbus-serial";
import { BoundsError, DeviceError } from "../../core/errors.js";
import type { Clock } from "../clock.js";
import { checkRange } from "../limits.js";
import type { CheckResult, HeaterController, HeaterLimits, HeaterReadings, SetOptions } from "../protocols.js";
import { floatToWords, wordsToFloat, type WordOrder } from "./float32Words.js";

/** The Modbus client calls the driver uses (modbus-serial's ModbusRTU has them). */
export interface ModbusClient {
  readonly isOpen: boolean;
  readHoldingRegisters(address: number, length: number): Promise<{ data: number[] }>;
  writeRegisters(address: number, values: number[]): Promise<unknown>;
  close(callback?: () => void): void;
}

/** Register addresses (zero-based holding registers as the F4T manual lists them). */
export interface F4TRegisters {
  setPoint: number;
  processValue: number;
}

/** The default register map of control loop `loop` (1-based). */
export function f4tRegisters(loop = 1): F4TRegisters {
  return { setPoint: 2782 + 160 * (loop - 1), processValue: 2820 + 160 * (loop - 1) };
}

/** How to reach the controller. */
export type F4TTransport = { kind: "tcp"; host: string; port: number } | { kind: "rtu"; path: string; baudRate: number };

/** Settings of one F4T loop. */
export interface WatlowF4TOptions {
  /** Device name in logs and errors, e.g. "heater:plate". */
  name: string;
  client: ModbusClient;
  clock: Clock;
  /** Where the controller is, for messages. */
  where: string;
  registers?: F4TRegisters;
  wordOrder?: WordOrder;
  limits: HeaterLimits;
  /** Extra tries after a failed or implausible transaction (default 2). */
  retries?: number;
  /** Readings outside this range are implausible (a broken thermocouple reads absurd values), degC. */
  plausible_degC?: readonly [number, number];
  onTraffic?: (entry: { device: string; command: string; reply: string[]; ok: boolean }) => void;
}

export class WatlowF4T implements HeaterController {
  readonly kind = "heater-controller" as const;
  readonly name: string;
  readonly limits: HeaterLimits;
  private readonly regs: F4TRegisters;
  private readonly order: WordOrder;
  private readonly retries: number;
  private readonly plausible: readonly [number, number];

  constructor(private readonly o: WatlowF4TOptions) {
    this.name = o.name;
    this.limits = o.limits;
    this.regs = o.registers ?? f4tRegisters(1);
    this.order = o.wordOrder ?? "low-first";
    this.retries = o.retries ?? 2;
    this.plausible = o.plausible_degC ?? [-50, 500];
  }

  /** Open a Modbus TCP or RTU connection to an F4T and return the driver. */
  static async connect(t: F4TTransport, o: Omit<WatlowF4TOptions, "client" | "where"> & { unitId?: number; timeout_ms?: number }): Promise<WatlowF4T> {
    const client = new modbus.default();
    const where = t.kind === "tcp" ? `${t.host}:${t.port}` : t.path;
    try {
      if (t.kind === "tcp") await client.connectTCP(t.host, { port: t.port, timeout: o.timeout_ms ?? 1000 });
      else await client.connectRTUBuffered(t.path, { baudRate: t.baudRate, dataBits: 8, parity: "none", stopBits: 1 });
    } catch (e) {
      throw new DeviceError(
        o.name,
        `cannot connect to the controller at ${where} (Modbus ${t.kind.toUpperCase()}): ${(e as Error).message}`,
        t.kind === "tcp" ? "check the controller's IP address and port (502) and the network cable" : "check the serial path and baud rate (9600 8N1)",
      );
    }
    client.setID(o.unitId ?? 1);
    client.setTimeout(o.timeout_ms ?? 1000);
    return new WatlowF4T({ ...o, client, where });
  }

  check(t: number): CheckResult {
    return checkRange(`${this.name} set point`, t, "degC", this.limits.setPoint_degC);
  }

  private async transact<T>(what: string, f: () => Promise<T>, plausible: (v: T) => string | undefined): Promise<T> {
    let last = "";
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (!this.o.client.isOpen) {
        throw new DeviceError(this.name, `${what}: the connection to ${this.o.where} is closed`, "check the network or serial cable, then resume the campaign");
      }
      try {
        const v = await f();
        const bad = plausible(v);
        this.o.onTraffic?.({ device: this.name, command: what, reply: [String(v)], ok: bad === undefined });
        if (bad === undefined) return v;
        last = bad;
      } catch (e) {
        last = (e as Error).message || String(e);
        this.o.onTraffic?.({ device: this.name, command: what, reply: [`error: ${last}`], ok: false });
      }
    }
    throw new DeviceError(
      this.name,
      `${what} at ${this.o.where} failed ${this.retries + 1} times: ${last}`,
      "check the controller, its Modbus settings (unit id, word order, register map) and the cable",
    );
  }

  private readFloat(label: string, address: number): Promise<number> {
    return this.transact(
      `read ${label} (register ${address})`,
      async () => wordsToFloat((await this.o.client.readHoldingRegisters(address, 2)).data, this.order),
      (v) => (Number.isFinite(v) && v >= this.plausible[0] && v <= this.plausible[1] ? undefined : `implausible ${label} ${v} degC`),
    );
  }

  private async writeSetPoint(t: number): Promise<void> {
    await this.transact(
      `write set point ${t} degC (register ${this.regs.setPoint})`,
      () => this.o.client.writeRegisters(this.regs.setPoint, floatToWords(t, this.order)),
      () => undefined,
    );
    const back = await this.readFloat("set point", this.regs.setPoint);
    if (Math.abs(back - t) > 1e-3) {
      throw new DeviceError(
        this.name,
        `wrote set point ${t} degC but read back ${back} degC`,
        "check the controller's set point limits and the word order in the lab configuration",
      );
    }
  }

  async set(t: number, options: SetOptions = {}): Promise<void> {
    const c = this.check(t);
    if (!c.ok) throw new BoundsError(c.violation.field, t, "degC", c.violation.bounds);
    options.signal?.throwIfAborted();
    await this.writeSetPoint(t);
  }

  /** stop(false) (something went wrong): the safe set point. stop(true) leaves the plate as it is. */
  async stop(success = true): Promise<void> {
    if (!success) await this.writeSetPoint(this.limits.safeSetPoint_degC);
  }

  async read(): Promise<HeaterReadings> {
    const sp = await this.readFloat("set point", this.regs.setPoint);
    const pv = await this.readFloat("process value", this.regs.processValue);
    const t = this.o.clock.now();
    return {
      setPoint_degC: { value: sp, timestamp_s: t },
      processValue_degC: { value: pv, timestamp_s: t },
      output_fraction: { value: NaN, timestamp_s: t },
    };
  }

  /** Close the Modbus connection. */
  close(): Promise<void> {
    return new Promise((resolve) => (this.o.client.isOpen ? this.o.client.close(() => resolve()) : resolve()));
  }
}
