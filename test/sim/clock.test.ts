import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { VirtualClock } from "../../src/sim/clock.js";
import { WallClock } from "../../src/hil/clock.js";

describe("VirtualClock", () => {
  it("a long sleep takes no real time and advances the clock exactly", async () => {
    const c = new VirtualClock();
    const t0 = performance.now();
    await c.sleep(8 * 3600);
    expect(c.now()).toBe(8 * 3600);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it("concurrent sleepers wake in time order at their own wake-up times (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 8 }), async (delays) => {
        const c = new VirtualClock(5);
        const woke: { i: number; at: number }[] = [];
        await Promise.all(delays.map((d, i) => c.sleep(d).then(() => woke.push({ i, at: c.now() }))));
        woke.forEach((w) => expect(w.at).toBe(5 + delays[w.i]));
        for (let k = 1; k < woke.length; k++) expect(woke[k].at).toBeGreaterThanOrEqual(woke[k - 1].at);
      }),
      { numRuns: 30 },
    );
  });

  it("chained sleeps in two tasks interleave like real time", async () => {
    const c = new VirtualClock();
    const log: string[] = [];
    const task = async (name: string, step: number) => {
      for (let k = 0; k < 3; k++) {
        await c.sleep(step);
        log.push(`${name}@${c.now()}`);
      }
    };
    await Promise.all([task("a", 10), task("b", 25)]);
    expect(log).toEqual(["a@10", "a@20", "b@25", "a@30", "b@50", "b@75"]);
  });

  it("an aborted sleep rejects with the reason and does not advance the clock", async () => {
    const c = new VirtualClock();
    const ac = new AbortController();
    const p = c.sleep(100, ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
    expect(c.now()).toBe(0);
    await expect(c.sleep(-1)).rejects.toBeInstanceOf(RangeError);
  });
});

describe("WallClock", () => {
  it("sleeps in real time and can be aborted", async () => {
    const c = new WallClock();
    const t = c.now();
    await c.sleep(0.02);
    expect(c.now() - t).toBeGreaterThanOrEqual(0.015);
    const ac = new AbortController();
    const p = c.sleep(10, ac.signal);
    ac.abort(new Error("abort"));
    await expect(p).rejects.toThrow("abort");
  });
});
