import { SurrogateStrategy } from "/work/wt-lin/dist/src/bo/strategies/surrogateStrategy.js";
import { GpSurrogate } from "/work/wt-lin/dist/src/bo/gp/gpSurrogate.js";
export default (ctx) => new SurrogateStrategy(ctx, {
  name: "gp-ucb-lkacq", acquisition: "ucb",
  surrogateFactory: () => new GpSurrogate({ linearKernel: true }),
  recommendationSurrogateFactory: () => new GpSurrogate({}),
});
