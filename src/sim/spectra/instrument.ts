/**
 * The simulated optics: wavelength grid, lamp, dark pattern, droplet train and the
 * spectral shapes of Cs3Cu2I5 (strong absorption below about 320 nm, a broad emission
 * band peaking at 446 nm). Every constant is a named parameter.
 */

/** Parameters of the two simulated spectrometers and of the droplet train in the cells. */
export interface SpectraParams {
  /** Detector pixels (assumed 1024). */
  pixels: number;
  /** First and last pixel wavelengths, nm (the grid must cover 250-1000 nm). */
  gridStart_nm: number;
  gridEnd_nm: number;
  /** Quadratic term of the pixel-to-wavelength calibration, nm (makes the grid non-uniform). */
  gridCurvature_nm: number;
  /** Frames per acquisition (the pipeline needs at least 50). */
  frames: number;
  /** Integration time of one frame, s. */
  frameTime_s: number;
  /** Volume of one droplet plus one carrier slug, uL (assumed 10). */
  segmentVolume_uL: number;
  /** Peak lamp counts reaching the detector through the blank cell. */
  lampPeak_counts: number;
  /** Mean dark level, counts. */
  darkLevel_counts: number;
  /** Absorption edge position and width, nm. */
  absEdge_nm: number;
  absEdgeWidth_nm: number;
  /** Excitonic absorption peak: position, width (nm) and strength relative to the edge plateau. */
  excitonPeak_nm: number;
  excitonWidth_nm: number;
  excitonStrength: number;
  /** Wavelength-flat extra absorbance of a droplet (lensing at the interfaces); the baseline removes it. */
  dropletOffsetAbs: number;
  /** Emission band: peak and its blue and red Gaussian widths, nm. */
  emissionPeak_nm: number;
  emissionSigmaBlue_nm: number;
  emissionSigmaRed_nm: number;
  /** Excitation line seen as stray light in the PL cell: centre and width, nm. */
  excitation_nm: number;
  excitationSigma_nm: number;
  /** Stray excitation counts with carrier oil in the cell. */
  scatterOil_counts: number;
  /** Stray excitation in a droplet relative to oil (the droplet absorbs the excitation). */
  scatterDropletRatio: number;
}

export const DEFAULT_SPECTRA_PARAMS: SpectraParams = {
  pixels: 1024,
  gridStart_nm: 190,
  gridEnd_nm: 1030,
  gridCurvature_nm: 30,
  frames: 150,
  frameTime_s: 0.05,
  segmentVolume_uL: 10,
  lampPeak_counts: 30000,
  darkLevel_counts: 900,
  absEdge_nm: 318,
  absEdgeWidth_nm: 7,
  excitonPeak_nm: 292,
  excitonWidth_nm: 10,
  excitonStrength: 0.35,
  dropletOffsetAbs: 0.02,
  emissionPeak_nm: 446,
  emissionSigmaBlue_nm: 28,
  emissionSigmaRed_nm: 40,
  excitation_nm: 300,
  excitationSigma_nm: 6,
  scatterOil_counts: 4000,
  scatterDropletRatio: 0.4,
};

/** Pixel wavelengths, nm: start + span u + curvature u (1 - u), u = pixel / (pixels - 1). Shape [pixels]. */
export function wavelengthGrid(p: SpectraParams): Float64Array {
  const g = new Float64Array(p.pixels);
  for (let i = 0; i < p.pixels; i++) {
    const u = i / (p.pixels - 1);
    g[i] = p.gridStart_nm + (p.gridEnd_nm - p.gridStart_nm) * u + p.gridCurvature_nm * u * (1 - u);
  }
  return g;
}

/** Lamp counts through the blank cell (deuterium UV band plus halogen continuum). Shape [w]. */
export function lampSpectrum(grid: Float64Array, p: SpectraParams): Float64Array {
  return grid.map((l) => p.lampPeak_counts * (0.05 + 0.6 * Math.exp(-(((l - 240) / 70) ** 2)) + 0.55 * Math.exp(-(((l - 650) / 250) ** 2))));
}

/** Dark counts with a fixed pixel pattern. Shape [w]. */
export function darkSpectrum(grid: Float64Array, p: SpectraParams): Float64Array {
  return grid.map((_, i) => p.darkLevel_counts + 20 * Math.sin(0.37 * i) + 10 * Math.cos(0.11 * i));
}

/** Absorbance shape of the product (dimensionless, about 1 on the UV plateau, 0 in the visible). */
export function absorptionShape(l: number, p: SpectraParams): number {
  const edge = 1 / (1 + Math.exp((l - p.absEdge_nm) / p.absEdgeWidth_nm));
  const exciton = p.excitonStrength * Math.exp(-0.5 * ((l - p.excitonPeak_nm) / p.excitonWidth_nm) ** 2);
  return edge + exciton;
}

/** Emission shape (peak 1 at emissionPeak_nm; asymmetric Gaussian). */
export function emissionShape(l: number, p: SpectraParams): number {
  const s = l < p.emissionPeak_nm ? p.emissionSigmaBlue_nm : p.emissionSigmaRed_nm;
  return Math.exp(-0.5 * ((l - p.emissionPeak_nm) / s) ** 2);
}

/** Stray excitation shape (peak 1). */
export function excitationShape(l: number, p: SpectraParams): number {
  return Math.exp(-0.5 * ((l - p.excitation_nm) / p.excitationSigma_nm) ** 2);
}

/**
 * Fraction of each frame's integration time with a droplet in the cell. Droplets take
 * `dropletFraction` of each segment; a segment passes every segmentVolume / Q seconds.
 * `phase` in [0, 1) shifts the train. Shape [frames].
 */
export function dropletOccupancy(
  frames: number,
  frameTime_s: number,
  totalFlow_uL_min: number,
  dropletFraction: number,
  segmentVolume_uL: number,
  phase: number,
): Float64Array {
  const period = segmentVolume_uL / (totalFlow_uL_min / 60);
  const sub = 32;
  const occ = new Float64Array(frames);
  for (let k = 0; k < frames; k++) {
    let inDroplet = 0;
    for (let s = 0; s < sub; s++) {
      const t = (k + (s + 0.5) / sub) * frameTime_s;
      const x = (t / period + phase) % 1;
      if (x < dropletFraction) inDroplet++;
    }
    occ[k] = inDroplet / sub;
  }
  return occ;
}
