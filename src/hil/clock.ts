/**
 * Time for orchestration code. The same code runs against a {@link WallClock} on the
 * real rig and a VirtualClock (src/sim) in simulation, where hours pass in milliseconds.
 */

/** A source of time in seconds and a way to wait. */
export interface Clock {
  /** Seconds since the clock's origin. */
  now(): number;
  /** Resolve after `seconds` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Real time (monotonic), origin at construction. `timeScale` > 1 runs the lab's time
 * faster than real time (for emulators that run faster, in tests): `now()` is real
 * seconds x timeScale and `sleep(s)` waits s / timeScale real seconds.
 */
export class WallClock implements Clock {
  private readonly origin = performance.now();
  constructor(readonly timeScale = 1) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  }
  now(): number {
    return ((performance.now() - this.origin) / 1000) * this.timeScale;
  }
  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, (seconds * 1000) / this.timeScale),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
