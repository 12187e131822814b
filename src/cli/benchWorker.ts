/** Worker-thread entry of `sdfl bench`: runs one task from workerData and posts a WorkerReply. */
import { parentPort, workerData } from "node:worker_threads";
import { runBenchTask, type BenchTaskData } from "./benchTask.js";

runBenchTask(workerData as BenchTaskData).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (e: Error & { hint?: string }) =>
    parentPort!.postMessage({ ok: false, error: { name: e?.name ?? "Error", message: e?.message ?? String(e), hint: e?.hint } }),
);
