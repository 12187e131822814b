import type { BenchTask } from "./settings.js";

/** One share of a sweep: `index` from 0 to `count` - 1 (as Slurm array and Kubernetes indexed Jobs number them). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The tasks of one shard: task k (in the sweep's strategy-major order) belongs to shard
 * k mod count. Deterministic; the shards of a sweep are disjoint and cover it, and each
 * holds every strategy in nearly equal parts (so no shard gets all the slow strategies).
 */
export function shardTasks(tasks: readonly BenchTask[], shard: Shard): BenchTask[] {
  return tasks.filter((_, k) => k % shard.count === shard.index);
}
