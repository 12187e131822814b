import { availableParallelism } from "node:os";
import { intOpt, numberOpt, stringOpt, type Command } from "../command.js";
import { parseRedisUrl } from "../queue/redisUrl.js";

const worker: Command = {
  path: ["worker"],
  summary: "run benchmark jobs from a queue (`sdfl bench --queue`) on this machine until stopped",
  details: `
Takes (oracle, strategy, seed) runs from the BullMQ queue in Redis and runs each exactly
as a local \`sdfl bench\` would, so results do not depend on where a job ran. Start one
per machine (each with sdfl installed, and twin/strategy files at the same paths); any
number may join or leave during a sweep. A worker that dies mid-run (kill -9, power cut,
lost network) stops renewing its job's lock; after one to two --lock-seconds another
worker takes the job again. Ctrl-C (SIGINT) or SIGTERM: finish the running jobs, then exit.
example: sdfl worker --queue redis://10.0.0.5:6379 --concurrency 8`,
  options: {
    queue: { type: "string", arg: "URL", description: "the queue's Redis: redis://HOST:PORT[/DB]" },
    concurrency: { type: "string", arg: "N", description: "runs at a time, each in its own thread (default: the number of cores)" },
    "lock-seconds": {
      type: "string",
      arg: "S",
      default: "30",
      description: "job lock and stalled-job check interval: a dead worker's job is retried after S to 2 S seconds",
    },
  },
  async run(opts, io) {
    const cmd = "worker";
    const target = parseRedisUrl(stringOpt(opts, "queue", cmd));
    const concurrency = intOpt(opts, "concurrency", cmd, availableParallelism(), 1, 1024);
    const lockMs = Math.round(1000 * numberOpt(opts, "lock-seconds", cmd, 30, 0.5, 3600));
    const { startQueueWorker } = await import("../queue/queueWorker.js");
    const w = await startQueueWorker({ target, concurrency, lockMs, progress: io.progress });
    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        io.progress(`${sig}: finishing the running jobs, then exiting (again to exit at once; their jobs are retried elsewhere)`);
        process.once(sig as NodeJS.Signals, () => process.exit(130));
        void w.close().then(resolve);
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    });
    io.progress("worker stopped");
    return 0;
  },
};

/** The `sdfl worker` command. */
export const workerCommands: Command[] = [worker];
