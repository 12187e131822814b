import { createStrategy } from "/work/wt-s7/dist/src/bo/strategies/index.js";
export default (ctx) => createStrategy("gp-ucb", ctx, { gp: { mean: "linear" } });
