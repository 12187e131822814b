import { UsageError } from "../core/errors.js";
import type { Shard } from "../bo/bench/shard.js";

/** Parse `--shard i/N` (0 <= i < N, as Slurm's 0-based arrays and Kubernetes' JOB_COMPLETION_INDEX count). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count || count > 100_000)
    throw new UsageError(
      `--shard ${text}: expected i/N with 0 <= i < N, e.g. 0/4 for the first of four shares`,
      "in a Slurm array use --shard $SLURM_ARRAY_TASK_ID/N (with --array=0-(N-1)); in a Kubernetes indexed Job, --shard $JOB_COMPLETION_INDEX/N",
    );
  return { index, count };
}
