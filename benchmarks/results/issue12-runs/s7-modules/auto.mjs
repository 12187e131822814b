import { createStrategy } from "/work/wt-lin/dist/src/bo/strategies/index.js";
export default (ctx) => createStrategy("gp-ucb", ctx, { gp: { additiveKernel: "auto" } });
