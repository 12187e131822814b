import { SdflError } from "../../core/errors.js";

/** A raw acquisition or spectra file that the processing pipeline cannot use. */
export class SpectrumError extends SdflError {
  /** Where the spectrum came from: a file path or a description such as "Abs3 acquisition". */
  readonly source: string;
  constructor(source: string, message: string, hint?: string) {
    super(`${source}: ${message}`, hint);
    this.source = source;
  }
}
