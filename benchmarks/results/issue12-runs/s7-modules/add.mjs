import { createStrategy } from "/work/wt-add/dist/src/bo/strategies/index.js";
export default (ctx) => createStrategy("gp-ucb", ctx, { gp: { additiveKernel: true } });
