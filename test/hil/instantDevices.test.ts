import { describeHeaterConformance, describePumpConformance, describeSpectrometerConformance } from "./conformance.js";
import { InstantClock, InstantHeater, InstantPump, InstantSpectrometer } from "../../src/hil/testing/index.js";

describePumpConformance("InstantPump", async () => {
  const clock = new InstantClock();
  return { pump: new InstantPump("pump:mock", clock), clock };
});

describeHeaterConformance("InstantHeater", async () => {
  const clock = new InstantClock();
  return { heater: new InstantHeater("heater:mock", clock, { setPoint_degC: [20, 200] }), clock, settle_s: 1, tolerance_degC: 0 };
});

for (const kind of ["absorbance", "photoluminescence"] as const) {
  describeSpectrometerConformance(`InstantSpectrometer (${kind})`, async () => {
    const clock = new InstantClock();
    return { spectrometer: new InstantSpectrometer(`spectrometer:${kind}`, kind, clock), clock };
  });
}
