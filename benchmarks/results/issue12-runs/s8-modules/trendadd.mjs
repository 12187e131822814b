import { createStrategy } from "/work/wt-s8/dist/src/bo/strategies/index.js";
export default (ctx) => createStrategy("gp-ucb-trend", ctx, { gp: { additiveKernel: true } });
