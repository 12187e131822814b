/**
 * Line charts as data. src/bo describes its figures (benchmark curves) with these types
 * and leaves drawing to src/report (svg/lineChart.ts), so it needs no d3 or DOM.
 */
/** One line of a chart, optionally with a shaded band (e.g. interquartile range) and dots. */
export interface ChartSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Lower and upper edge of a band around the line, same length as x. */
  band?: { lo: readonly number[]; hi: readonly number[] };
  /** Draw a dot per point (measurements) instead of / besides a line. */
  dots?: boolean;
  /** Hide the connecting line (dots only). */
  noLine?: boolean;
  /** Draw a step line (best-so-far curves). */
  step?: boolean;
  /** Mark the first point with a large ringed dot (e.g. the level after the initial design). */
  markFirst?: boolean;
  /** CSS colour; default the next series colour of the report palette. */
  color?: string;
}

/** A line chart as data; rendered by {@link lineChartSvg}. */
export interface ChartSpec {
  title: string;
  /** A second, smaller title line (what was summarised over what). */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  width?: number;
  height?: number;
  /** Fixed y range; otherwise the data's range with a margin. */
  yDomain?: readonly [number, number];
  /** A horizontal reference line (e.g. the oracle's maximum). */
  hline?: { y: number; label: string };
  /** Integer x values (experiment numbers): integer ticks only. */
  integerX?: boolean;
  /** A shaded x interval (e.g. the initial design phase). */
  shade?: { x0: number; x1: number; label: string };
  /** A labelled vertical line (e.g. the end of the initial design). */
  vline?: { x: number; label: string };
}
