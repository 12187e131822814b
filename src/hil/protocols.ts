/**
 * Device protocols: TYPES ONLY, in the spirit of Bluesky's (read, set with a status,
 * stop with a "make yourself safe" flag, check without sending). Real drivers (serial
 * syringe pumps, a Modbus heater controller, file-drop spectrometers) and the virtual
 * devices of src/sim implement the same interfaces, so one orchestrator drives both.
 *
 * Conventions: units are part of every name (`_uL_min`, `_degC`, `_s`, `_nm`);
 * times are seconds on the device's {@link Clock}-compatible time base; every promise
 * rejects with a DeviceError (src/core/errors.ts) when the device refuses or does not
 * answer, and with a BoundsError when a value is outside the device's limits.
 */

/** One value read from a device, with when it was read. */
export interface Reading<T = number | string | boolean> {
  value: T;
  /** Time of the reading, s (the device's clock). */
  timestamp_s: number;
}

/** A device that can report its current values: `read()` returns named readings. */
export interface Readable<R extends Record<string, Reading<unknown>> = Record<string, Reading<unknown>>> {
  /** Unique device name used in logs and errors, e.g. "pump:CuI", "heater:plate". */
  readonly name: string;
  read(): Promise<R>;
}

/** Options of every command that may take a while. */
export interface SetOptions {
  /** Give up after this many seconds (device time); rejects with a DeviceError. */
  timeout_s?: number;
  /** Abort early; rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A device with one set point. The promise is the status: it resolves when the device
 * has accepted the value (and, for devices that move, reached it, as each protocol states).
 */
export interface Movable<T> {
  set(value: T, options?: SetOptions): Promise<void>;
}

/**
 * A device that can stop. `success = false` means something went wrong elsewhere:
 * make yourself safe (pumps stop, heaters go to their safe set point and output off).
 */
export interface Stoppable {
  stop(success?: boolean): Promise<void>;
}

/** Why a value was refused by a limit check; all the numbers an error message needs. */
export interface LimitViolation {
  field: string;
  value: number;
  unit: string;
  bounds: readonly [number, number];
  message: string;
}

/** Result of a limit check. */
export type CheckResult = { ok: true } | { ok: false; violation: LimitViolation };

/** A device that can check a value against its limits without sending anything. */
export interface Checkable<T> {
  check(value: T): CheckResult;
}

// ---------------------------------------------------------------------------------
// Syringe pumps (Chemyx Fusion in the real rig)

/** Pump states, as the Chemyx `pump status` command reports them. */
export type PumpStatus = "stopped" | "running" | "paused" | "stalled" | "empty";

/** What a pump reports. */
export interface PumpReadings extends Record<string, Reading<unknown>> {
  /** Current infusion rate, uL/min (0 when stopped). */
  rate_uL_min: Reading<number>;
  /** Volume dispensed since the syringe was loaded, uL. */
  dispensed_uL: Reading<number>;
  /** Volume left in the syringe, uL (may be NaN if the driver cannot know it). */
  remaining_uL: Reading<number>;
  status: Reading<PumpStatus>;
}

/** Fixed limits of a pump with its loaded syringe. */
export interface PumpLimits {
  /** Allowed infusion rates, uL/min. */
  rate_uL_min: readonly [number, number];
  /** Syringe capacity, uL. */
  syringeVolume_uL: number;
}

/**
 * A syringe pump infusing one stream. `set(rate)` starts (or changes) infusion at
 * `rate_uL_min` and resolves when the pump confirms it runs at that rate; `set(0)` stops.
 * A pump must refuse to start with an empty syringe (SyringeEmptyError).
 */
export interface SyringePump extends Readable<PumpReadings>, Movable<number>, Stoppable, Checkable<number> {
  readonly kind: "syringe-pump";
  readonly limits: PumpLimits;
}

// ---------------------------------------------------------------------------------
// Heater controller (Watlow F4T in the real rig)

/** What a heater controller reports. */
export interface HeaterReadings extends Record<string, Reading<unknown>> {
  /** Target temperature, degC. */
  setPoint_degC: Reading<number>;
  /** Measured (process) temperature, degC. */
  processValue_degC: Reading<number>;
  /** Heater output, fraction 0 to 1 (NaN if unknown). */
  output_fraction: Reading<number>;
}

/** Fixed limits of a heater controller. */
export interface HeaterLimits {
  setPoint_degC: readonly [number, number];
  /** Set point used by stop(false): the safe state, degC. */
  safeSetPoint_degC: number;
}

/**
 * A temperature controller. `set(T)` writes the set point (degC), reads it back and
 * resolves once the controller holds it; reaching the temperature is observed through
 * `read()` (see waitForTemperature in the orchestration code).
 */
export interface HeaterController extends Readable<HeaterReadings>, Movable<number>, Stoppable, Checkable<number> {
  readonly kind: "heater-controller";
  readonly limits: HeaterLimits;
}

// ---------------------------------------------------------------------------------
// Spectrometers (UV-Vis absorption and PL flow cells)

/** Which measurement a spectrometer makes. */
export type SpectrumKind = "absorbance" | "photoluminescence";

/**
 * One raw acquisition as a spectrometer delivers it: one spectrum per frame while
 * droplets and carrier oil pass the cell.
 */
export interface RawAcquisition {
  kind: SpectrumKind;
  /** Wavelength of each pixel, nm, strictly increasing. Shape [w]. */
  wavelengths_nm: Float64Array;
  /** Detector counts, one array per frame. Shape [frames][w]. */
  frames: Float64Array[];
  /** When the first frame started, s. */
  startedAt_s: number;
  /** Integration time of one frame, s. */
  frameTime_s: number;
}

/** Reference spectra a processing pipeline needs, detector counts. Shapes [w]. */
export interface SpectrumReferences {
  /** Dark spectrum (light source blocked). */
  dark_counts: Float64Array;
  /** Light (blank) spectrum: carrier only, lamp on. Absorbance spectrometers only. */
  light_counts?: Float64Array;
}

/** What a spectrometer reports when read. */
export interface SpectrometerReadings extends Record<string, Reading<unknown>> {
  /** Acquisitions completed since start. */
  acquisitions: Reading<number>;
  busy: Reading<boolean>;
}

/** Options of one acquisition. */
export interface AcquireOptions extends SetOptions {
  /** Number of frames (the pipeline needs at least 50). */
  frames?: number;
}

/** A spectrometer behind a flow cell. */
export interface Spectrometer extends Readable<SpectrometerReadings>, Stoppable {
  readonly kind: "spectrometer";
  readonly measures: SpectrumKind;
  /** Record the references (dark; light for absorbance) and return them. */
  references(options?: SetOptions): Promise<SpectrumReferences>;
  /** Acquire frames; resolves with the raw counts when done. */
  acquire(options?: AcquireOptions): Promise<RawAcquisition>;
}

/** Anything the orchestrator may hold. */
export type Device = SyringePump | HeaterController | Spectrometer;
