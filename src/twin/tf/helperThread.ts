import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { CascadeEnsembleSpec } from "../cascadeEnsembleSpec.js";
import type { TfBatchedCascade } from "./batchedCascade.js";

/**
 * Slots of the shared Int32Array: a job is waiting (main -> helper), its result is in
 * (helper -> main), and the helper's state (0 starting, 1 ready, -1 failed).
 */
export const JOB_FLAG = 0;
export const DONE_FLAG = 1;
export const STATE = 2;

export type HelperJob = { type: "forward"; z: Float64Array; n: number; d: number } | { type: "stop" };
export type HelperReply = { y: Float32Array; numTensors: number } | { error: string };

/** Longest wait for the helper's half of a batch before giving up, ms. */
const HELPER_TIMEOUT_MS = 120_000;

/**
 * The compiled worker script. Under the TypeScript sources (vitest) it is not next to
 * this file; then the compiled copy in dist/ is used if `tsc` has produced it.
 */
function workerFile(): URL | undefined {
  const here = new URL("./predictWorker.js", import.meta.url);
  if (here.protocol === "file:" && existsSync(fileURLToPath(here))) return here;
  const built = new URL("../../../dist/src/twin/tf/predictWorker.js", import.meta.url);
  return built.protocol === "file:" && existsSync(fileURLToPath(built)) ? built : undefined;
}

/** True when the compiled helper script exists (always after `npx tsc -p .`). */
export function helperAvailable(): boolean {
  return workerFile() !== undefined;
}

/** Threads used for prediction by default: `$SDFL_PREDICT_THREADS`, else one per core, at most 2. */
export function defaultPredictThreads(env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env.SDFL_PREDICT_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, 2);
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * A second thread with its own TF.js backend and weights that computes part of a batch
 * while the main thread computes the rest, and still lets `predict` be synchronous:
 * {@link start} posts the job, {@link finish} blocks (Atomics.wait) until the result is in.
 * Readiness is a shared flag, so a synchronous caller can check {@link ready} without
 * the event loop ever turning.
 */
export class HelperThread {
  private stopped = false;
  private busy = false;
  /** numTensors in the helper's TF.js engine after its last job (for leak tests). */
  lastHelperTensors = -1;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly ctrl: Int32Array,
  ) {}

  /**
   * Start a helper for `spec` in the background (it loads TF.js and uploads the weights
   * in about a second), or undefined when the compiled worker script is missing.
   */
  static spawn(spec: CascadeEnsembleSpec): HelperThread | undefined {
    const file = workerFile();
    if (!file) return undefined;
    const ctrl = new Int32Array(new SharedArrayBuffer(12));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(file, { workerData: { spec, port: port2, ctrl }, transferList: [port2] });
    worker.on("error", () => Atomics.store(ctrl, STATE, -1));
    worker.on("exit", () => {
      if (Atomics.load(ctrl, STATE) === 0) Atomics.store(ctrl, STATE, -1);
    });
    worker.unref(); // a helper must never keep the process alive
    port1.unref();
    return new HelperThread(worker, port1, ctrl);
  }

  /** True once the helper has its backend and weights (a plain shared-memory read). */
  get ready(): boolean {
    return !this.stopped && Atomics.load(this.ctrl, STATE) === 1;
  }

  /** True if the helper failed to start (it will never be ready). */
  get failed(): boolean {
    return Atomics.load(this.ctrl, STATE) === -1;
  }

  /** Resolves true when ready, false when it failed or did not start within `timeout_ms`. */
  async whenReady(timeout_ms = 60_000): Promise<boolean> {
    const until = Date.now() + timeout_ms;
    while (!this.ready && !this.failed && !this.stopped && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return this.ready;
  }

  /** Post rows z [n x d] to the helper; it starts at once. Call {@link finish} next. */
  start(z: Float64Array, n: number, d: number): void {
    if (!this.ready || this.busy) throw new Error(this.busy ? "HelperThread already has a job" : "HelperThread is not ready (or was disposed)");
    this.busy = true;
    this.post({ type: "forward", z, n, d });
  }

  /** Block until the helper's result is in. @returns member-major [m*n*2] like TfBatchedCascade.forward */
  finish(): Float32Array {
    if (!this.busy) throw new Error("HelperThread.finish() without start()");
    const woke = Atomics.wait(this.ctrl, DONE_FLAG, 0, HELPER_TIMEOUT_MS);
    this.busy = false;
    if (woke === "timed-out") throw new Error(`the prediction helper thread did not answer within ${HELPER_TIMEOUT_MS / 1000} s`);
    Atomics.store(this.ctrl, DONE_FLAG, 0);
    const reply = receiveMessageOnPort(this.port)?.message as HelperReply | undefined;
    if (!reply) throw new Error("the prediction helper thread signalled a result but sent none");
    if ("error" in reply) throw new Error(`prediction helper thread: ${reply.error}`);
    this.lastHelperTensors = reply.numTensors;
    return reply.y;
  }

  private post(job: HelperJob): void {
    this.port.postMessage(job);
    Atomics.store(this.ctrl, JOB_FLAG, 1);
    Atomics.notify(this.ctrl, JOB_FLAG);
  }

  /** Stop the helper (it frees its tensors and exits). Safe to call twice. */
  dispose(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.post({ type: "stop" });
    void this.worker.terminate();
  }
}

/**
 * Forward n rows with the first half on `local` (this thread) and the second half on
 * `helper` at the same time.
 * @param z  row-major [n x d] unit-cube inputs
 * @returns  member-major Float32Array [m*n*2], like TfBatchedCascade.forward
 */
export function forwardSplit(local: TfBatchedCascade, helper: HelperThread, z: Float64Array, n: number, d: number): Float32Array {
  const nLocal = Math.ceil(n / 2);
  const nHelper = n - nLocal;
  helper.start(z.slice(nLocal * d), nHelper, d);
  let yLocal: Float32Array;
  let yHelper: Float32Array;
  try {
    yLocal = local.forward(z.subarray(0, nLocal * d), nLocal, d);
  } finally {
    yHelper = helper.finish(); // always collect, so the helper is free for the next batch
  }
  const m = local.memberCount;
  const y = new Float32Array(m * n * 2);
  for (let k = 0; k < m; k++) {
    y.set(yLocal.subarray(k * nLocal * 2, (k + 1) * nLocal * 2), k * n * 2);
    y.set(yHelper.subarray(k * nHelper * 2, (k + 1) * nHelper * 2), (k * n + nLocal) * 2);
  }
  return y;
}
