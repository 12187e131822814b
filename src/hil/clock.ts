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

/** Real time (monotonic), origin at construction. */
export class WallClock implements Clock {
  private readonly origin = performance.now();
  now(): number {
    return (performance.now() - this.origin) / 1000;
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
        Math.max(0, seconds * 1000),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
