import { createStrategy } from "/work/wt-s9/dist/src/bo/strategies/index.js";
export default (ctx) => createStrategy("gp-ucb-trend-shaped-rec", ctx, { gp: { additiveKernel: "auto", additiveMargin: 0.5, additiveMinPerInput: 10 } });
