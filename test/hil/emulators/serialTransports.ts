/**
 * Transports that put a {@link ChemyxEmulator} behind a serial port: the serialport mock
 * binding (in-process), or a real pseudo-terminal pair made by socat.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort, SerialPortMock } from "serialport";
import type { ChemyxEmulator } from "./chemyxEmulator.js";

let mockPorts = 0;

/** Feed complete lines (ended by \r, \r\n) to the emulator; returns the write handler. */
function lineFeeder(emulator: ChemyxEmulator, reply: (text: string) => void): (chunk: Buffer) => void {
  let buf = "";
  return (chunk) => {
    buf += chunk.toString("latin1");
    let i: number;
    while ((i = buf.search(/\r/)) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1).replace(/^\n/, "");
      const out = emulator.handle(line);
      if (out) reply(out);
    }
  };
}

/** An open SerialPortMock whose far end is the emulator. */
export async function mockSerialPort(emulator: ChemyxEmulator, baudRate = 9600): Promise<SerialPortMock> {
  const path = `/dev/ttyMOCK${mockPorts++}`;
  SerialPortMock.binding.createPort(path, { echo: false, record: false });
  const port = new SerialPortMock({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  // The mock binding's port (typed here: the package's types do not resolve under its "exports").
  const binding = port.port as unknown as { isOpen: boolean; write(b: Buffer): Promise<void>; emitData(d: Buffer): void };
  const write = binding.write.bind(binding);
  const feed = lineFeeder(emulator, (text) => setImmediate(() => binding.isOpen && binding.emitData(Buffer.from(text, "latin1"))));
  binding.write = async (buffer: Buffer) => {
    await write(buffer);
    feed(buffer);
  };
  return port;
}

/** A socat pseudo-terminal pair with an emulator on one end; the driver opens `path`. */
export interface PtyPump {
  path: string;
  socat: ChildProcess;
  close(): Promise<void>;
}

/** Two linked pseudo-terminals made by socat: a driver opens `near`, an emulator `far`. */
export async function ptyPair(): Promise<{ near: string; far: string; socat: ChildProcess; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "sdfl-pty-"));
  const near = join(dir, "pump");
  const far = join(dir, "emulator");
  const socat = spawn("socat", [`pty,raw,echo=0,link=${near}`, `pty,raw,echo=0,link=${far}`], { stdio: "ignore" });
  const t0 = Date.now();
  while (!(existsSync(near) && existsSync(far))) {
    if (Date.now() - t0 > 5000 || socat.exitCode !== null) throw new Error(`socat did not create the pty pair in ${dir}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const close = async (): Promise<void> => {
    if (socat.exitCode === null) {
      const exited = new Promise((r) => socat.once("exit", r));
      socat.kill("SIGTERM");
      await exited;
    }
  };
  return { near, far, socat, close };
}

/** Start `socat` linking two ptys, and serve the emulator on the far one. */
export async function ptyPump(emulator: ChemyxEmulator, baudRate = 9600): Promise<PtyPump> {
  const { near, far, socat, close } = await ptyPair();
  let closed = false;
  const port = new SerialPort({ path: far, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on(
    "data",
    lineFeeder(emulator, (text) => port.write(text)),
  );
  return {
    path: near,
    socat,
    close: async () => {
      if (closed) return;
      closed = true;
      if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
      await close();
    },
  };
}
