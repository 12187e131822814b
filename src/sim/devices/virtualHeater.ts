import { BoundsError } from "../../core/errors.js";
import type { CheckResult, HeaterController, HeaterLimits, HeaterReadings, SetOptions } from "../../hil/protocols.js";
import type { VirtualReactor } from "../virtualReactor.js";
import { checkRange } from "../../hil/limits.js";

/** Time the controller takes to accept and echo a set point, s (Modbus write + read back). */
const RESPONSE_TIME_s = 0.05;

/**
 * The simulated plate controller: a PID loop on a first-order thermal plant
 * ({@link HeaterPlant}). `set` writes the set point; the plate follows over minutes.
 * `stop` (either way) goes to the safe set point with the output off.
 */
export class VirtualHeater implements HeaterController {
  readonly kind = "heater-controller" as const;
  readonly name = "heater:plate";
  readonly limits: HeaterLimits;

  constructor(private readonly reactor: VirtualReactor) {
    const h = reactor.params.heater;
    this.limits = { setPoint_degC: h.setPointLimits_degC, safeSetPoint_degC: h.ambient_degC };
  }

  check(setPoint_degC: number): CheckResult {
    return checkRange(`${this.name} set point`, setPoint_degC, "degC", this.limits.setPoint_degC);
  }

  async set(setPoint_degC: number, options: SetOptions = {}): Promise<void> {
    const c = this.check(setPoint_degC);
    if (!c.ok) throw new BoundsError(c.violation.field, setPoint_degC, "degC", c.violation.bounds);
    this.reactor.sync();
    await this.reactor.clock.sleep(RESPONSE_TIME_s, options.signal);
    this.reactor.sync();
    this.reactor.plant.setPoint_degC = setPoint_degC;
    this.reactor.plant.enabled = true;
  }

  async stop(_success = true): Promise<void> {
    this.reactor.sync();
    this.reactor.plant.setPoint_degC = this.limits.safeSetPoint_degC;
    this.reactor.plant.enabled = false;
    this.reactor.plant.output = 0;
  }

  async read(): Promise<HeaterReadings> {
    const pv = this.reactor.readPlate_degC();
    const t = this.reactor.clock.now();
    return {
      setPoint_degC: { value: this.reactor.plant.setPoint_degC, timestamp_s: t },
      processValue_degC: { value: pv, timestamp_s: t },
      output_fraction: { value: this.reactor.plant.output, timestamp_s: t },
    };
  }
}
