// Inline SVG charts for the HTML report: end-to-end time vs elements (log-log, one line per
// transport+payload+codec), and phase breakdown bars at the largest size. No scripts, no assets.
import type { BenchOutput, PhaseName } from '../types.js';
import { caseLabel, formatElements, formatSeconds, verifiedTimedResults } from './format.js';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface ChartPoint {
  elements: number;
  seconds: number;
}

export interface ChartSeries {
  /** "transport payload/codec". */
  label: string;
  points: ChartPoint[];
}

/** One series per transport+payload+codec over its verified cases, sorted by size. */
export function timeSeries(output: BenchOutput): ChartSeries[] {
  const byLabel = new Map<string, ChartPoint[]>();
  for (const result of verifiedTimedResults(output)) {
    const points = byLabel.get(caseLabel(result)) ?? [];
    points.push({ elements: result.elements, seconds: result.phases.endToEnd.median });
    byLabel.set(caseLabel(result), points);
  }
  return [...byLabel].map(([label, points]) => ({ label, points: points.sort((a, b) => a.elements - b.elements) }));
}

// Tableau 10, then dash patterns, so up to 40 series stay distinguishable.
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const DASHES = ['', '6 3', '2 3', '9 3 2 3'];

function seriesStyle(index: number): { color: string; dash: string } {
  return { color: COLORS[index % COLORS.length]!, dash: DASHES[Math.floor(index / COLORS.length) % DASHES.length]! };
}

/** Whole decades covering the values: [floor(log10 min), ceil(log10 max)], at least one decade wide. */
function decadeRange(values: readonly number[]): [number, number] {
  const low = Math.floor(Math.log10(Math.min(...values)));
  const high = Math.ceil(Math.log10(Math.max(...values)));
  return [low, high > low ? high : low + 1];
}

const power = (exponent: number) => `10<tspan dy="-6" font-size="75%">${exponent}</tspan>`;

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

export function logLogChart(series: readonly ChartSeries[]): string {
  if (series.length === 0) return '<p>No verified case to plot.</p>';
  const plot = { left: 72, top: 16, width: 620, height: 380 };
  const legendX = plot.left + plot.width + 28;
  const rowHeight = 18;
  const width = legendX + 300;
  const height = Math.max(plot.top + plot.height + 56, plot.top + series.length * rowHeight + 8);
  const points = series.flatMap((item) => item.points);
  const [xLow, xHigh] = decadeRange(points.map((point) => point.elements));
  const [yLow, yHigh] = decadeRange(points.map((point) => point.seconds));
  // A little room past the outer decades keeps points off the frame.
  const pad = 0.04;
  const toUnit = (value: number, low: number, high: number) => (Math.log10(value) - low + pad * (high - low)) / ((1 + 2 * pad) * (high - low));
  const x = (elements: number) => plot.left + toUnit(elements, xLow, xHigh) * plot.width;
  const y = (seconds: number) => plot.top + plot.height - toUnit(seconds, yLow, yHigh) * plot.height;
  const bottom = plot.top + plot.height;
  const parts: string[] = [];
  for (let exponent = xLow; exponent <= xHigh; exponent++) {
    const at = x(10 ** exponent).toFixed(1);
    parts.push(`<line x1="${at}" y1="${plot.top}" x2="${at}" y2="${bottom}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${at}" y="${bottom + 20}" text-anchor="middle">${power(exponent)}</text>`);
  }
  for (let exponent = yLow; exponent <= yHigh; exponent++) {
    const at = y(10 ** exponent).toFixed(1);
    parts.push(`<line x1="${plot.left}" y1="${at}" x2="${plot.left + plot.width}" y2="${at}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${plot.left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${power(exponent)}</text>`);
  }
  parts.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${plot.left + plot.width / 2}" y="${bottom + 44}" text-anchor="middle">elements (log scale)</text>`);
  parts.push(
    `<text transform="translate(18 ${plot.top + plot.height / 2}) rotate(-90)" text-anchor="middle">end-to-end time, median (s, log scale)</text>`,
  );
  series.forEach((item, index) => {
    const { color, dash } = seriesStyle(index);
    const dashAttribute = dash ? ` stroke-dasharray="${dash}"` : '';
    const coordinates = item.points.map((point) => `${x(point.elements).toFixed(1)},${y(point.seconds).toFixed(1)}`);
    parts.push(`<g class="series" data-label="${escapeXml(item.label)}">`);
    if (item.points.length > 1) {
      parts.push(`<polyline points="${coordinates.join(' ')}" fill="none" stroke="${color}" stroke-width="1.8"${dashAttribute}/>`);
    }
    item.points.forEach((point, pointIndex) => {
      const [cx, cy] = coordinates[pointIndex]!.split(',');
      const tip = `${item.label} at ${formatElements(point.elements)}: ${formatSeconds(point.seconds)} s`;
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"><title>${escapeXml(tip)}</title></circle>`);
    });
    parts.push('</g>');
    const rowY = plot.top + index * rowHeight + 8;
    parts.push(`<line x1="${legendX}" y1="${rowY}" x2="${legendX + 26}" y2="${rowY}" stroke="${color}" stroke-width="2.5"${dashAttribute}/>`);
    parts.push(`<text x="${legendX + 34}" y="${rowY}" dominant-baseline="middle">${escapeXml(item.label)}</text>`);
  });
  return (
    `<svg class="chart" role="img" aria-label="End-to-end time versus elements, log-log" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" ${FONT}>${parts.join('')}</svg>`
  );
}

/** Phases that follow each other inside end-to-end, drawn as segments; "other" fills the rest. */
export const BAR_PHASES: readonly PhaseName[] = ['cast', 'encode', 'transfer', 'decode'];
const PHASE_COLORS = ['#edc948', '#f28e2b', '#4e79a7', '#59a14f', '#bab0ac'];

/** 0, step, 2*step, ... with step 1, 2 or 5 x 10^k, covering max in about five steps. */
export function niceTicks(max: number): number[] {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((factor) => factor * magnitude >= raw)! * magnitude;
  const ticks = [0];
  while (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

/** The largest size with a verified case, and a stacked bar per case at that size. */
export function phaseBars(output: BenchOutput): { elements: number; svg: string } | undefined {
  const timed = verifiedTimedResults(output);
  if (timed.length === 0) return undefined;
  const elements = Math.max(...timed.map((result) => result.elements));
  const cases = timed.filter((result) => result.elements === elements);
  const bars = cases.map((result) => {
    const segments = BAR_PHASES.map((phase) => ({ phase: phase as string, seconds: result.phases[phase]?.median ?? 0 }));
    const covered = segments.reduce((sum, segment) => sum + segment.seconds, 0);
    const endToEnd = result.phases.endToEnd.median;
    segments.push({ phase: 'other', seconds: Math.max(0, endToEnd - covered) });
    return { label: caseLabel(result), endToEnd, segments, total: Math.max(endToEnd, covered) };
  });
  const ticks = niceTicks(Math.max(...bars.map((bar) => bar.total)));
  const scaleMax = ticks[ticks.length - 1]!;
  const plot = { left: 230, top: 40, width: 620 };
  const barHeight = 16;
  const rowHeight = 24;
  const bottom = plot.top + bars.length * rowHeight;
  const width = plot.left + plot.width + 110;
  const height = bottom + 52;
  const x = (seconds: number) => plot.left + (seconds / scaleMax) * plot.width;
  const parts: string[] = [];
  [...BAR_PHASES, 'other'].forEach((phase, index) => {
    const legendX = plot.left + index * 110;
    parts.push(`<rect x="${legendX}" y="8" width="12" height="12" fill="${PHASE_COLORS[index]}"/>`);
    parts.push(`<text x="${legendX + 18}" y="14" dominant-baseline="middle">${phase}</text>`);
  });
  for (const tick of ticks) {
    const at = x(tick).toFixed(1);
    parts.push(`<line x1="${at}" y1="${plot.top - 4}" x2="${at}" y2="${bottom}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${at}" y="${bottom + 16}" text-anchor="middle">${tick}</text>`);
  }
  parts.push(`<text x="${plot.left + plot.width / 2}" y="${bottom + 40}" text-anchor="middle">time, median (s)</text>`);
  bars.forEach((bar, row) => {
    const top = plot.top + row * rowHeight;
    parts.push(`<g class="bar" data-label="${escapeXml(bar.label)}">`);
    parts.push(`<text x="${plot.left - 8}" y="${top + barHeight / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(bar.label)}</text>`);
    let start = 0;
    bar.segments.forEach((segment, index) => {
      if (segment.seconds <= 0) return;
      const tip = `${bar.label}, ${segment.phase}: ${formatSeconds(segment.seconds)} s`;
      parts.push(
        `<rect x="${x(start).toFixed(1)}" y="${top}" width="${(x(start + segment.seconds) - x(start)).toFixed(1)}" height="${barHeight}" ` +
          `fill="${PHASE_COLORS[index]}"><title>${escapeXml(tip)}</title></rect>`,
      );
      start += segment.seconds;
    });
    parts.push(
      `<text x="${(x(bar.total) + 6).toFixed(1)}" y="${top + barHeight / 2}" dominant-baseline="middle">${formatSeconds(bar.endToEnd)} s</text></g>`,
    );
  });
  const svg =
    `<svg class="chart" role="img" aria-label="Phase breakdown at ${formatElements(elements)} elements" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" ${FONT}>${parts.join('')}</svg>`;
  return { elements, svg };
}
