import { BoundsError, SyringeEmptyError } from "../../core/errors.js";
import type { CheckResult, PumpLimits, PumpReadings, SetOptions, SyringePump } from "../../hil/protocols.js";
import type { StreamName, VirtualReactor } from "../virtualReactor.js";
import { checkRange } from "../../hil/limits.js";

/** Time a pump takes to acknowledge a command, s (serial round trip). */
const RESPONSE_TIME_s = 0.05;

/**
 * A simulated syringe pump feeding one stream of a {@link VirtualReactor}. Tracks the
 * dispensed and remaining syringe volume; refuses to start with an empty syringe and
 * stops itself (status "empty") when the syringe runs out.
 */
export class VirtualPump implements SyringePump {
  readonly kind = "syringe-pump" as const;
  readonly name: string;
  readonly limits: PumpLimits;
  private paused = false;

  constructor(
    private readonly reactor: VirtualReactor,
    readonly stream: StreamName,
  ) {
    this.name = `pump:${stream}`;
    this.limits = { rate_uL_min: [0, reactor.params.syringes.maxRate_uL_min], syringeVolume_uL: reactor.streams[stream].capacity_uL };
  }

  check(rate_uL_min: number): CheckResult {
    return checkRange(`${this.name} rate`, rate_uL_min, "uL/min", this.limits.rate_uL_min);
  }

  async set(rate_uL_min: number, options: SetOptions = {}): Promise<void> {
    const c = this.check(rate_uL_min);
    if (!c.ok) throw new BoundsError(c.violation.field, rate_uL_min, "uL/min", c.violation.bounds);
    this.reactor.sync();
    const st = this.reactor.streams[this.stream];
    if (rate_uL_min > 0 && st.capacity_uL - st.dispensed_uL <= 0) throw new SyringeEmptyError(this.name, st.capacity_uL - st.dispensed_uL);
    await this.reactor.clock.sleep(RESPONSE_TIME_s, options.signal);
    st.rate_uL_min = rate_uL_min;
    this.paused = false;
    this.reactor.flowsChanged();
  }

  async stop(_success = true): Promise<void> {
    // Stopping a pump is its safe state either way.
    const st = this.reactor.streams[this.stream];
    if (st.rate_uL_min !== 0) {
      this.reactor.sync();
      st.rate_uL_min = 0;
      this.reactor.flowsChanged();
    }
  }

  async read(): Promise<PumpReadings> {
    this.reactor.sync();
    const st = this.reactor.streams[this.stream];
    const t = this.reactor.clock.now();
    const status = st.empty ? "empty" : st.rate_uL_min > 0 ? "running" : this.paused ? "paused" : "stopped";
    return {
      rate_uL_min: { value: st.rate_uL_min, timestamp_s: t },
      dispensed_uL: { value: st.dispensed_uL, timestamp_s: t },
      remaining_uL: { value: st.capacity_uL - st.dispensed_uL, timestamp_s: t },
      status: { value: status, timestamp_s: t },
    };
  }

  /** Simulation only: load a full syringe (dispensed volume back to 0). */
  refill(): void {
    this.reactor.sync();
    const st = this.reactor.streams[this.stream];
    st.dispensed_uL = 0;
    st.empty = false;
  }
}
