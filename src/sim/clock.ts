/**
 * The simulator's clock: virtual time that jumps. The Clock interface and the wall clock
 * live in src/hil (the hardware package).
 */
import type { Clock } from "../hil/clock.js";

interface Timer {
  wake: number;
  seq: number;
  resolve: () => void;
}

/**
 * Simulated time that jumps: `sleep` returns after the event loop has had a chance to
 * register every other pending sleep, then time advances to the earliest wake-up. So
 * concurrent sleepers wake in time order, and a 30 min wait takes microseconds.
 */
export class VirtualClock implements Clock {
  private t: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private flushing = false;

  constructor(start_s = 0) {
    this.t = start_s;
  }

  now(): number {
    return this.t;
  }

  /**
   * Jump forward by `seconds` without waiting (the fast steady-state path uses it).
   * Sleepers whose wake-up time is jumped over wake at the new time.
   */
  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new RangeError(`cannot advance a clock by ${seconds} s`);
    this.t += seconds;
  }

  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return Promise.reject(new RangeError(`cannot sleep ${seconds} s`));
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { wake: this.t + seconds, seq: this.seq++, resolve };
      const onAbort = (): void => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(signal!.reason);
      };
      timer.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      if (this.timers.length === 0) return;
      let k = 0;
      for (let i = 1; i < this.timers.length; i++) {
        const a = this.timers[i];
        const b = this.timers[k];
        if (a.wake < b.wake || (a.wake === b.wake && a.seq < b.seq)) k = i;
      }
      const [timer] = this.timers.splice(k, 1);
      this.t = Math.max(this.t, timer.wake);
      timer.resolve();
      if (this.timers.length > 0) this.schedule();
    });
  }
}
