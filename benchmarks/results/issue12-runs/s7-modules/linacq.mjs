import { SurrogateStrategy } from "/work/wt-s7/dist/src/bo/strategies/surrogateStrategy.js";
import { GpSurrogate } from "/work/wt-s7/dist/src/bo/gp/gpSurrogate.js";
export default (ctx) => new SurrogateStrategy(ctx, {
  name: "gp-ucb-linacq", acquisition: "ucb",
  surrogateFactory: () => new GpSurrogate({ mean: "linear" }),
  recommendationSurrogateFactory: () => new GpSurrogate({}),
});
