import { isDeepStrictEqual } from "node:util";
import { Rng } from "../../core/rng.js";
import type { Condition } from "../problem/space.js";
import type { Observation, Proposal, Strategy, StrategyFactory } from "../strategy.js";
import { objectiveAt } from "./objectives.js";
import { makeObservation, type OutcomesOf } from "./observationShape.js";
import type { Scenario } from "./scenario.js";
import { invalidity, showCondition } from "./spaces.js";

/** Thrown when a strategy breaks a property; the message says where (step) and what. */
export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PropertyViolation";
    // The stack would only point into the suite; the message says where in the campaign.
    this.stack = `${this.name}: ${message}`;
  }
}

/** What happened at one ask, as the suite recorded it (copies; the strategy cannot change them). */
export interface AskRecord {
  /** 1-based ask number. */
  step: number;
  n: number;
  exploit: boolean;
  /** Every observation the strategy had been told before this ask, in order. */
  observed: Observation[];
  /** The pending conditions it was given. */
  pending: Condition[];
  /** Copies of the proposals, taken when ask returned. */
  proposals: Proposal[];
  /** Wall time of the ask, seconds. */
  seconds: number;
}

/** The suite's record of one campaign. */
export interface CampaignTrace {
  asks: AskRecord[];
  /** Wall time of each tell, seconds. */
  tellSeconds: number[];
}

/** How the suite runs a campaign. */
export interface CampaignSettings {
  /** Per-call time budget (ask and tell), seconds. */
  askSeconds: number;
  outcomes?: OutcomesOf;
  /** Added to every objective value the strategy is told (shift-invariance). */
  shift?: number;
  /** Multiplies every objective value before the shift (-1 for the data-dependence probe). */
  scale?: number;
  /**
   * Run the experiments of this earlier campaign instead of the strategy's own proposals, so
   * that every ask sees the same history as in that campaign (each ask is compared in isolation).
   */
  replay?: CampaignTrace;
}

/** A copy of a proposal: the condition's own fields and (where cloneable) the info. */
function copyProposal(p: Proposal): Proposal {
  const condition = typeof p?.condition === "object" && p.condition !== null ? { ...p.condition } : p?.condition;
  let info: Record<string, unknown> | undefined;
  try {
    info = p?.info === undefined ? undefined : structuredClone(p.info);
  } catch {
    info = { ...p.info };
  }
  return { condition, ...(info === undefined ? {} : { info }) };
}

/**
 * Await a strategy call under the time budget: a call that has not settled after `seconds` fails
 * the property at once (the call itself keeps running in the background). A call that blocks the
 * event loop is measured when it returns.
 */
async function timed<T>(what: string, seconds: number, call: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  // Yield to the event loop first: a campaign of strategies that never wait on I/O would
  // otherwise be one long chain of microtasks, starving timers and the test runner's I/O.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const over = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PropertyViolation(`${what} did not finish within the time budget of ${seconds} s`)), seconds * 1000);
    timer.unref?.();
  });
  try {
    const value = await Promise.race([Promise.resolve().then(call), over]);
    const took = (performance.now() - t0) / 1000;
    if (took > seconds) throw new PropertyViolation(`${what} took ${took.toFixed(2)} s, over the time budget of ${seconds} s`);
    return { value, seconds: took };
  } catch (e) {
    if (e instanceof PropertyViolation) throw e;
    throw new PropertyViolation(`${what} threw: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run a strategy through a scenario, as a lab would: tell the initial observations, then for
 * each step let the oldest pending experiments finish (true objective plus noise, told to the
 * strategy) and ask for a batch with the rest still pending; every proposal joins the queue.
 * The strategy always receives fresh copies; after every call the suite checks that none of the
 * copies it has handed out so far was modified (the caller's data must stay untouched).
 * Throws {@link PropertyViolation} when a call throws, exceeds the time budget or modifies its input.
 */
export async function runScenario(factory: StrategyFactory, s: Scenario, settings: CampaignSettings): Promise<CampaignTrace> {
  const noise = new Rng(s.noiseSeed);
  const scale = settings.scale ?? 1;
  const shift = settings.shift ?? 0;
  const measure = (c: Condition): Observation =>
    makeObservation(c, scale * (objectiveAt(s.objective, s.space, c) + s.noise * noise.normal()) + shift, settings.outcomes);
  const handed: { what: string; copy: unknown; original: unknown }[] = [];
  const hand = <T>(what: string, original: T): T => {
    const copy = structuredClone(original);
    handed.push({ what, copy, original: structuredClone(original) });
    return copy;
  };
  const checkUntouched = (after: string) => {
    for (const h of handed)
      if (!isDeepStrictEqual(h.copy, h.original))
        throw new PropertyViolation(`${after}, the ${h.what} the strategy was given had been modified (a strategy must not change its caller's data; copy it)`);
  };

  const { value: strategy } = await timed("creating the strategy", settings.askSeconds, () => factory({ space: s.space, seed: s.seed }));
  const trace: CampaignTrace = { asks: [], tellSeconds: [] };
  const observed: Observation[] = [];
  const tell = async (obs: Observation[], label: string) => {
    if (obs.length === 0) return;
    const r = await timed(label, settings.askSeconds, () => (strategy as Strategy).tell(hand(label.replace(/^tell/, "observations of tell"), obs)));
    trace.tellSeconds.push(r.seconds);
    observed.push(...obs);
    checkUntouched(`after ${label}`);
  };
  try {
    await tell(s.initial.map(measure), "tell with the initial observations");
    const queue: Condition[] = s.pending.map((c) => ({ ...c }));
    for (let k = 0; k < s.steps.length; k++) {
      const step = s.steps[k];
      const done = queue.splice(0, Math.min(step.finish, queue.length));
      await tell(done.map(measure), `tell before ask ${k + 1}`);
      const label = `ask ${k + 1} (n = ${step.n}, ${queue.length} pending, ${observed.length} observed${step.exploit ? ", exploit" : ""})`;
      const pendingCopy = hand(`pending list of ${label}`, queue);
      const r = await timed(label, settings.askSeconds, () => strategy.ask(step.n, pendingCopy, { exploit: step.exploit }));
      if (!Array.isArray(r.value)) throw new PropertyViolation(`${label} returned ${String(r.value)}, not an array of proposals`);
      const proposals = r.value.map(copyProposal);
      trace.asks.push({
        step: k + 1,
        n: step.n,
        exploit: step.exploit,
        observed: [...observed],
        pending: queue.map((c) => ({ ...c })),
        proposals,
        seconds: r.seconds,
      });
      checkUntouched(`after ${label}`);
      // A lab refuses invalid conditions: only valid proposals join the queue (the validity property reports the others).
      const ran = settings.replay ? (settings.replay.asks[k]?.proposals ?? []) : proposals;
      for (const p of ran) if (invalidity(s.space, p.condition) === null) queue.push({ ...p.condition });
    }
  } finally {
    strategy.dispose?.();
  }
  return trace;
}

/** "ask 2 (n = 1, 3 pending, 5 observed) proposal 1 (T=..., ...)" */
export function whereIs(s: Scenario, a: AskRecord, i: number): string {
  return `ask ${a.step} (n = ${a.n}, ${a.pending.length} pending, ${a.observed.length} observed${a.exploit ? ", exploit" : ""}), proposal ${i + 1} (${showCondition(s.space, a.proposals[i]?.condition)})`;
}
