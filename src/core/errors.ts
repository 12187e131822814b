/**
 * The small typed error hierarchy of sdfl.
 *
 * Every error a user can cause (bad data, a bad flag, a set point out of range) is an
 * {@link SdflError}: the CLI prints its message and hint, never a stack trace.
 * Anything else that escapes is a bug and is reported as one.
 */

/** Base class: a problem the user can fix. `hint` says what to do. */
export class SdflError extends Error {
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
  /** Message plus hint, as printed by the CLI. */
  describe(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }
}

/** Where in a file a problem is: 1-based line and column, column name when known. */
export interface FileLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

/** Bad or missing data in a file the user gave us. */
export class DataError extends SdflError {
  readonly location: FileLocation;
  constructor(location: FileLocation, message: string, hint?: string) {
    super(`${formatLocation(location)}: ${message}`, hint);
    this.location = location;
  }
}

/** A command-line mistake (unknown flag, missing argument). Exit code 2. */
export class UsageError extends SdflError {}

/** A value outside its allowed range; names value, unit and bounds. */
export class BoundsError extends SdflError {
  readonly field: string;
  readonly value: number;
  readonly unit: string;
  readonly bounds: readonly [number, number];
  constructor(field: string, value: number, unit: string, bounds: readonly [number, number], context?: string) {
    super(
      `${context ? context + ": " : ""}${field} = ${value} ${unit} is outside the allowed range ${bounds[0]} to ${bounds[1]} ${unit}`,
      `choose ${field} between ${bounds[0]} and ${bounds[1]} ${unit}`,
    );
    this.field = field;
    this.value = value;
    this.unit = unit;
    this.bounds = bounds;
  }
}

/** A device did not answer, answered nonsense, or refused a command. */
export class DeviceError extends SdflError {
  readonly device: string;
  constructor(device: string, message: string, hint?: string) {
    super(`${device}: ${message}`, hint);
    this.device = device;
  }
}

/** A saved file (twin, campaign store) has the wrong format or version. */
export class FormatError extends SdflError {}

/** Numerical trouble that was handled (jitter added, clamped variance): a warning, not a crash. */
export interface NumericalWarning {
  kind: "numerical";
  message: string;
}

/** "file:line:column (field)" as editors and terminals link it. */
export function formatLocation(loc: FileLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.column !== undefined) s += `:${loc.column}`;
  if (loc.field !== undefined) s += ` (column "${loc.field}")`;
  return s;
}

/** A syringe pump was asked to run, or ran, with an empty syringe. */
export class SyringeEmptyError extends DeviceError {
  readonly remaining_uL: number;
  constructor(device: string, remaining_uL: number) {
    super(
      device,
      `syringe is empty (${remaining_uL.toFixed(1)} uL left); refusing to run dry`,
      "refill or replace the syringe, then reset the pump's dispensed volume",
    );
    this.remaining_uL = remaining_uL;
  }
}
