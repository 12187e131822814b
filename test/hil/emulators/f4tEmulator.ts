/**
 * A Watlow F4T emulator on a real Modbus TCP server (modbus-serial's ServerTCP) on
 * loopback: holding registers with float32 set point and process value (low word first
 * unless told otherwise) and a plate that follows the set point with first-order
 * dynamics on a given time base.
 */
import { createServer } from "node:net";
import modbus from "modbus-serial";
import { floatToWords, wordsToFloat, type WordOrder } from "../../../src/hil/drivers/float32Words.js";
import { f4tRegisters } from "../../../src/hil/drivers/watlowF4T.js";

/** Faults a test can inject. */
export interface F4TFaults {
  /** The plate never gets above this temperature (a broken cartridge heater), degC. */
  maxPlate_degC?: number;
  /** Stop answering (requests time out). */
  silent?: boolean;
  /** The thermocouple reads this value (e.g. NaN or 9999 for an open circuit). */
  processValueOverride?: number;
}

/** A free TCP port on loopback (ServerTCP with port 0 would fall back to 502). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export class F4TEmulator {
  private readonly regs = new Map<number, number>();
  private pv: number;
  private lastSync: number;
  readonly map = f4tRegisters(1);
  server?: InstanceType<typeof modbus.ServerTCP>;
  port = 0;
  /** Every write (address, value), for assertions. */
  readonly writes: [number, number][] = [];

  constructor(
    private readonly now_s: () => number,
    readonly o: { tau_s?: number; initial_degC?: number; wordOrder?: WordOrder; faults?: F4TFaults } = {},
  ) {
    this.pv = o.initial_degC ?? 25;
    this.lastSync = now_s();
    this.setFloat(this.map.setPoint, this.pv);
  }

  get faults(): F4TFaults {
    return (this.o.faults ??= {});
  }

  private order(): WordOrder {
    return this.o.wordOrder ?? "low-first";
  }

  private setFloat(address: number, v: number): void {
    const [a, b] = floatToWords(v, this.order());
    this.regs.set(address, a);
    this.regs.set(address + 1, b);
  }

  /** Current set point, degC. */
  setPoint(): number {
    return wordsToFloat([this.regs.get(this.map.setPoint) ?? 0, this.regs.get(this.map.setPoint + 1) ?? 0], this.order());
  }

  /** Current plate temperature, degC. */
  plate(): number {
    this.sync();
    return this.pv;
  }

  private sync(): void {
    const now = this.now_s();
    const dt = Math.max(0, now - this.lastSync);
    this.lastSync = now;
    const target = Math.min(this.setPoint(), this.faults.maxPlate_degC ?? Infinity);
    this.pv = target + (this.pv - target) * Math.exp(-dt / (this.o.tau_s ?? 30));
  }

  private wait(): Promise<never> {
    return new Promise(() => undefined);
  }

  private vector() {
    return {
      getHoldingRegister: (addr: number): number | Promise<number> => {
        if (this.faults.silent) return this.wait();
        if (addr === this.map.processValue || addr === this.map.processValue + 1) {
          const [a, b] = floatToWords(this.faults.processValueOverride ?? this.plate(), this.order());
          return addr === this.map.processValue ? a : b;
        }
        return this.regs.get(addr) ?? 0;
      },
      setRegister: (addr: number, value: number): void | Promise<void> => {
        if (this.faults.silent) return this.wait();
        this.sync();
        this.writes.push([addr, value]);
        this.regs.set(addr, value);
      },
    };
  }

  /** Start the Modbus TCP server on a free loopback port. */
  async start(): Promise<this> {
    this.port = await freePort();
    this.server = new modbus.ServerTCP(this.vector(), { host: "127.0.0.1", port: this.port, unitID: 1 });
    await new Promise<void>((resolve, reject) => {
      this.server!.on("initialized", () => resolve());
      this.server!.on("serverError", (e) => reject(e));
    });
    return this;
  }

  /** Serve Modbus RTU on a serial device (the far end of a socat pty pair). */
  async startRtu(path: string, baudRate = 9600): Promise<this> {
    const rtu = new modbus.ServerSerial(this.vector(), { path, baudRate, unitID: 1 });
    await new Promise<void>((resolve, reject) => {
      rtu.on("initialized", () => resolve());
      rtu.on("error", (e) => reject(e));
    });
    this.rtu = rtu;
    return this;
  }

  rtu?: InstanceType<typeof modbus.ServerSerial>;

  /** Stop the server and drop its connections. */
  async close(): Promise<void> {
    const r = this.rtu;
    this.rtu = undefined;
    if (r) await new Promise<void>((resolve) => r.close(() => resolve()));
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    for (const sock of s.socks.keys()) sock.destroy();
    return new Promise((resolve) => s.close(() => resolve()));
  }
}
