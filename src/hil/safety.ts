/**
 * Safety: a watchdog on every device call and a stop-everything routine. On any error,
 * signal or watchdog fault the lab stops every pump and puts the heater at its safe set
 * point; each device is stopped on its own (one dead device does not keep the others
 * running) and every outcome is journaled.
 */
import { DeviceError } from "../core/errors.js";
import type { Clock } from "./clock.js";
import type { DeviceLog } from "./deviceLog.js";
import type { ReactorDevices } from "./orchestration.js";

/** Methods a watchdog guards (acquire has its own timeout, the spectrometer's). */
const GUARDED = new Set(["read", "set", "stop", "references"]);

/**
 * Wrap a device so every guarded call fails with a DeviceError when it has not answered
 * within `seconds` of lab time (`timeScale` lab seconds per real second).
 */
export function withWatchdog<T extends { name: string }>(device: T, seconds: number, timeScale = 1): T {
  return new Proxy(device, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== "function" || typeof prop !== "string" || !GUARDED.has(prop)) return typeof v === "function" ? v.bind(target) : v;
      return (...args: unknown[]) => {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new DeviceError(
                  target.name,
                  `${prop}() did not answer within ${seconds} s (watchdog)`,
                  "check the device and its cable; the lab was stopped, resume the campaign when it answers",
                ),
              ),
            (seconds * 1000) / timeScale,
          );
        });
        return Promise.race([Promise.resolve(v.apply(target, args)), expired]).finally(() => clearTimeout(timer));
      };
    },
  });
}

/** What stopping everything achieved. */
export interface SafeStopReport {
  ok: boolean;
  /** Devices that could not be made safe, with why. */
  failures: string[];
}

/**
 * Stop every pump and put the heater at its safe set point (stop(false)); abort running
 * acquisitions. Never throws: failures are reported and journaled.
 */
export async function stopAll(
  d: ReactorDevices,
  reason: string,
  o: { clock: Clock; log?: DeviceLog; perDevice_ms?: number } = { clock: { now: () => NaN, sleep: async () => undefined } },
): Promise<SafeStopReport> {
  const failures: string[] = [];
  const t = (): number => o.clock.now();
  o.log?.record({ t_s: t(), device: "lab", kind: "event", message: `stopping everything: ${reason}` });
  const one = async (name: string, stop: () => Promise<void>): Promise<void> => {
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        stop(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("no answer")), o.perDevice_ms ?? 5000);
        }),
      ]).finally(() => clearTimeout(timer));
      o.log?.record({ t_s: t(), device: name, kind: "event", message: "made safe" });
    } catch (e) {
      const msg = `${name}: could not be made safe (${(e as Error).message})`;
      failures.push(msg);
      o.log?.record({ t_s: t(), device: name, kind: "event", message: msg });
    }
  };
  // Pumps first (stop feeding the hot plate), all at once; then the heater; then the spectrometers.
  await Promise.all(Object.values(d.pumps).map((p) => one(p.name, () => p.stop(false))));
  await one(d.heater.name, () => d.heater.stop(false));
  await Promise.all([d.absSpectrometer, d.plSpectrometer].map((s) => one(s.name, () => s.stop(false))));
  return { ok: failures.length === 0, failures };
}
