import { parentPort, workerData } from "node:worker_threads";
import { trainMember, type MemberTask, type TrainData } from "./memberTrainer.js";
import type { TrainSchedule } from "./schedule.js";

/** Worker thread: trains the members it is sent, one at a time, on the data it was started with. */
const { data, schedule } = workerData as { data: TrainData; schedule: TrainSchedule };
parentPort!.on("message", (msg: { index: number; task: MemberTask }) => {
  const r = trainMember(msg.task, msg.task.data ?? data, schedule);
  parentPort!.postMessage({ index: msg.index, result: r }, [r.params.buffer as ArrayBuffer]);
});
