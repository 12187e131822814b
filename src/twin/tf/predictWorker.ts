/**
 * Body of a {@link HelperThread}: its own TF.js backend (one WASM instance per
 * thread; WASM threads cannot be enabled in Node) and its own copy of the weights.
 *
 * After start-up it never returns to its event loop: it blocks in Atomics.wait for a
 * job, takes it with receiveMessageOnPort, posts the result and raises the done flag, so
 * the main thread can stay synchronous (Twin.predict is synchronous).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import { initBackend, readyTf } from "../backend.js";
import type { CascadeEnsembleSpec } from "../cascadeEnsembleSpec.js";
import { TfBatchedCascade } from "./batchedCascade.js";
import { DONE_FLAG, JOB_FLAG, STATE, type HelperJob, type HelperReply } from "./helperThread.js";

interface WorkerInit {
  spec: CascadeEnsembleSpec;
  port: MessagePort;
  ctrl: Int32Array;
}

async function main(): Promise<void> {
  const { spec, port, ctrl } = workerData as WorkerInit;
  let predictor: TfBatchedCascade;
  try {
    await initBackend();
    predictor = new TfBatchedCascade(readyTf()!.tf, spec);
    Atomics.store(ctrl, STATE, 1);
  } catch {
    Atomics.store(ctrl, STATE, -1); // the main thread then stays on one thread
    return;
  }
  const tf = readyTf()!.tf;
  for (;;) {
    // Finite waits so that terminate() is never stuck behind an endless futex wait.
    if (Atomics.wait(ctrl, JOB_FLAG, 0, 1000) === "timed-out") continue;
    Atomics.store(ctrl, JOB_FLAG, 0);
    const job = receiveMessageOnPort(port)?.message as HelperJob | undefined;
    if (!job || job.type === "stop") break;
    let reply: HelperReply;
    try {
      const y = predictor.forward(job.z, job.n, job.d);
      reply = { y, numTensors: tf.memory().numTensors };
      port.postMessage(reply, [y.buffer as ArrayBuffer]);
    } catch (e) {
      reply = { error: String((e as Error)?.message ?? e) };
      port.postMessage(reply);
    }
    Atomics.store(ctrl, DONE_FLAG, 1);
    Atomics.notify(ctrl, DONE_FLAG);
  }
  predictor.dispose();
  port.close();
}

void main();
