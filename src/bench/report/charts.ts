// Inline SVG charts for the HTML report, drawn as small multiples: one pair of panels per payload
// and codec (time vs size beside GB/s vs size, both log-log), each with a legend of its own few
// series; and the phase breakdown at the largest size, normalised per case so fast cases show.
// No scripts, no assets: the file opens offline.
import { IPCLAB_TRANSPORT_IDS, type CodecId, type PayloadId, type PhaseName, type TransportId } from '../ids.js';
import { bulkResults, type BenchOutput } from '../results.js';
import { caseLabel, formatDuration, formatElements, formatSignificant, verifiedTimedResults, type TimedResult } from './format.js';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** ipclab's own transports (the addon's shared memory), drawn solid and bold; Node's built-ins thin and dashed. */
export const IPCLAB_TRANSPORTS: ReadonlySet<string> = new Set<TransportId>(IPCLAB_TRANSPORT_IDS);

// Tableau 20: one colour per transport, the same in every panel.
const COLORS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#79706e',
  '#a0cbe8', '#ffbe7d', '#ff9d9a', '#86bcb6', '#8cd17d', '#f1ce63', '#d4a6c8', '#fabfd2', '#d7b5a6', '#bab0ac',
];

export interface SeriesStyle {
  color: string;
  dash: string;
  width: number;
  own: boolean;
}

/** Colours follow the order transports first appear in the run, so a transport looks the same everywhere. */
export function transportStyles(output: BenchOutput): Map<string, SeriesStyle> {
  const styles = new Map<string, SeriesStyle>();
  for (const result of bulkResults(output)) {
    if (styles.has(result.transport)) continue;
    const own = IPCLAB_TRANSPORTS.has(result.transport);
    styles.set(result.transport, { color: COLORS[styles.size % COLORS.length]!, dash: own ? '' : '5 3', width: own ? 3 : 1.6, own });
  }
  return styles;
}

export interface ChartPoint {
  elements: number;
  value: number;
}

export interface ChartSeries {
  transport: string;
  points: ChartPoint[];
}

export interface Panel {
  payload: PayloadId;
  codec: CodecId;
  /** End-to-end medians, one series per transport. */
  time: ChartSeries[];
  /** GB/s of the end-to-end median; hand-offs have none. */
  throughput: ChartSeries[];
}

function series(results: readonly TimedResult[], value: (result: TimedResult) => number | null): ChartSeries[] {
  const byTransport = new Map<string, ChartPoint[]>();
  for (const result of results) {
    const y = value(result);
    if (y === null || !(y > 0)) continue;
    const points = byTransport.get(result.transport) ?? [];
    points.push({ elements: result.elements, value: y });
    byTransport.set(result.transport, points);
  }
  return [...byTransport].map(([transport, points]) => ({ transport, points: points.sort((a, b) => a.elements - b.elements) }));
}

/** One panel per payload and codec that has verified cases, in the run's order. */
export function panels(output: BenchOutput): Panel[] {
  const timed = verifiedTimedResults(output);
  const keys = [...new Set(timed.map((result) => `${result.payload}/${result.codec}`))];
  return keys.map((key) => {
    const group = timed.filter((result) => `${result.payload}/${result.codec}` === key);
    return {
      payload: group[0]!.payload,
      codec: group[0]!.codec,
      time: series(group, (result) => result.phases.endToEnd.p50),
      throughput: series(group, (result) => result.throughput?.gigabytesPerSecond ?? null),
    };
  });
}

/** Whole decades covering the values: [floor(log10 min), ceil(log10 max)], at least one decade wide. */
function decadeRange(values: readonly number[]): [number, number] {
  const low = Math.floor(Math.log10(Math.min(...values)));
  const high = Math.ceil(Math.log10(Math.max(...values)));
  return [low, high > low ? high : low + 1];
}

const power = (exponent: number) => `10<tspan dy="-6" font-size="75%">${exponent}</tspan>`;

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

export const PANEL_WIDTH = 580;

/** A log-log line chart of `series` with its legend beneath, one legend row per two series. */
export function logLogPanel(
  title: string,
  data: readonly ChartSeries[],
  styles: ReadonlyMap<string, SeriesStyle>,
  yTitle: string,
  formatValue: (value: number) => string,
  emptyNote = 'no verified case to plot',
  formatTick: (value: number) => string = formatValue,
): string {
  const plot = { left: 62, top: 26, width: PANEL_WIDTH - 62 - 14, height: 220 };
  const legendTop = plot.top + plot.height + 44;
  const legendRows = Math.ceil(data.length / 2);
  const height = legendTop + Math.max(1, legendRows) * 18 + 6;
  const parts: string[] = [`<text x="${plot.left}" y="14" font-weight="600">${escapeXml(title)}</text>`];
  if (data.length === 0) return `<div class="empty-panel">${escapeXml(title)}: ${escapeXml(emptyNote)}</div>`;
  const points = data.flatMap((item) => item.points);
  const [xLow, xHigh] = decadeRange(points.map((point) => point.elements));
  const [yLow, yHigh] = decadeRange(points.map((point) => point.value));
  const pad = 0.04; // keeps points off the frame
  const toUnit = (value: number, low: number, high: number) => (Math.log10(value) - low + pad * (high - low)) / ((1 + 2 * pad) * (high - low));
  const x = (elements: number) => plot.left + toUnit(elements, xLow, xHigh) * plot.width;
  const y = (value: number) => plot.top + plot.height - toUnit(value, yLow, yHigh) * plot.height;
  const bottom = plot.top + plot.height;
  const xStep = Math.ceil((xHigh - xLow) / 8);
  for (let exponent = xLow; exponent <= xHigh; exponent += xStep) {
    const at = x(10 ** exponent).toFixed(1);
    parts.push(`<line x1="${at}" y1="${plot.top}" x2="${at}" y2="${bottom}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${at}" y="${bottom + 16}" text-anchor="middle">${power(exponent)}</text>`);
  }
  const yStep = Math.ceil((yHigh - yLow) / 6);
  for (let exponent = yLow; exponent <= yHigh; exponent += yStep) {
    const at = y(10 ** exponent).toFixed(1);
    parts.push(`<line x1="${plot.left}" y1="${at}" x2="${plot.left + plot.width}" y2="${at}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${plot.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(10 ** exponent))}</text>`);
  }
  parts.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${plot.left + plot.width / 2}" y="${bottom + 32}" text-anchor="middle">elements (log)</text>`);
  parts.push(`<text x="${plot.left + 6}" y="${plot.top + 14}" fill="#555">${escapeXml(yTitle)}</text>`);
  data.forEach((item, index) => {
    const style = styles.get(item.transport)!;
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    const coordinates = item.points.map((point) => [x(point.elements), y(point.value)] as const);
    parts.push(`<g class="series" data-transport="${escapeXml(item.transport)}">`);
    if (coordinates.length > 1) {
      parts.push(`<polyline points="${coordinates.map(([cx, cy]) => `${cx.toFixed(1)},${cy.toFixed(1)}`).join(' ')}" fill="none" stroke="${style.color}" stroke-width="${style.width}"${dash}/>`);
    }
    item.points.forEach((point, pointIndex) => {
      const [cx, cy] = coordinates[pointIndex]!;
      const tip = `${item.transport} at ${formatElements(point.elements)}: ${formatValue(point.value)}`;
      const marker = style.own
        ? `<circle class="mark" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${style.color}">`
        : `<circle class="mark" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3" fill="#fff" stroke="${style.color}" stroke-width="1.5">`;
      parts.push(`${marker}<title>${escapeXml(tip)}</title></circle>`);
    });
    parts.push('</g>');
    const legendX = plot.left + (index % 2) * ((plot.width) / 2);
    const legendY = legendTop + Math.floor(index / 2) * 18;
    parts.push(`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 24}" y2="${legendY}" stroke="${style.color}" stroke-width="${style.width}"${dash}/>`);
    parts.push(`<text x="${legendX + 30}" y="${legendY}" dominant-baseline="middle"${style.own ? ' font-weight="600"' : ''}>${escapeXml(item.transport)}${style.own ? ' (ipclab)' : ''}</text>`);
  });
  return (
    `<svg class="chart" role="img" aria-label="${escapeXml(title)}" width="${PANEL_WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${PANEL_WIDTH} ${height}" ${FONT}>${parts.join('')}</svg>`
  );
}

const formatGigabytes = (value: number) => `${formatSignificant(value, 2)} GB/s`;
const formatTime = (seconds: number) => formatDuration(seconds);
/** A power of ten as a short number: 0.001, 0.1, 10, 1000. */
const decadeLabel = (value: number) => String(Number(value.toPrecision(1)));

/** Every panel pair (time | throughput) as HTML, one row per payload and codec. */
export function smallMultiples(output: BenchOutput): string {
  const styles = transportStyles(output);
  return panels(output)
    .map((panel) => {
      const name = `${panel.payload} / ${panel.codec}`;
      return (
        `<div class="panels">` +
        logLogPanel(`${name}: end-to-end time`, panel.time, styles, 'median, log', formatTime) +
        logLogPanel(`${name}: throughput`, panel.throughput, styles, 'GB/s (of end-to-end), log; copies only', formatGigabytes, 'only hand-offs here, and a hand-off copies nothing: no GB/s', decadeLabel) +
        '</div>'
      );
    })
    .join('\n');
}

/** Phases that follow each other inside end-to-end, drawn as segments; "other" fills the rest. */
export const BAR_PHASES: readonly PhaseName[] = ['cast', 'encode', 'transfer', 'decode'];
const PHASE_COLORS = ['#edc948', '#f28e2b', '#4e79a7', '#59a14f', '#bab0ac'];

/** At the largest size with a verified case: one bar per case, each phase as its share of that case's end-to-end. */
export function phaseBars(output: BenchOutput): { elements: number; svg: string } | undefined {
  const timed = verifiedTimedResults(output);
  if (timed.length === 0) return undefined;
  const elements = Math.max(...timed.map((result) => result.elements));
  const cases = timed.filter((result) => result.elements === elements).sort((a, b) => a.phases.endToEnd.p50 - b.phases.endToEnd.p50);
  const bars = cases.map((result) => {
    const segments = BAR_PHASES.map((phase) => ({ phase: phase as string, seconds: result.phases[phase]?.p50 ?? 0 }));
    const covered = segments.reduce((sum, segment) => sum + segment.seconds, 0);
    const endToEnd = result.phases.endToEnd.p50;
    segments.push({ phase: 'other', seconds: Math.max(0, endToEnd - covered) });
    return { label: caseLabel(result), own: IPCLAB_TRANSPORTS.has(result.transport), endToEnd, segments, total: Math.max(endToEnd, covered) };
  });
  const plot = { left: 250, top: 40, width: 760 };
  const barHeight = 14;
  const rowHeight = 20;
  const bottom = plot.top + bars.length * rowHeight;
  const width = plot.left + plot.width + 90;
  const height = bottom + 44;
  const x = (share: number) => plot.left + share * plot.width;
  const parts: string[] = [];
  [...BAR_PHASES, 'other'].forEach((phase, index) => {
    const legendX = plot.left + index * 110;
    parts.push(`<rect x="${legendX}" y="8" width="12" height="12" fill="${PHASE_COLORS[index]}"/>`);
    parts.push(`<text x="${legendX + 18}" y="14" dominant-baseline="middle">${phase}</text>`);
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const at = x(tick).toFixed(1);
    parts.push(`<line x1="${at}" y1="${plot.top - 4}" x2="${at}" y2="${bottom}" stroke="#e6e6e6"/>`);
    parts.push(`<text x="${at}" y="${bottom + 16}" text-anchor="middle">${tick * 100}%</text>`);
  }
  parts.push(`<text x="${plot.left + plot.width / 2}" y="${bottom + 36}" text-anchor="middle">share of each case's end-to-end median</text>`);
  parts.push(`<text x="${width - 4}" y="${plot.top - 8}" text-anchor="end" fill="#555">end-to-end</text>`);
  bars.forEach((bar, row) => {
    const top = plot.top + row * rowHeight;
    parts.push(`<g class="bar" data-label="${escapeXml(bar.label)}">`);
    parts.push(
      `<text x="${plot.left - 8}" y="${top + barHeight / 2}" text-anchor="end" dominant-baseline="middle"${bar.own ? ' font-weight="600"' : ''}>${escapeXml(bar.label)}</text>`,
    );
    let start = 0;
    bar.segments.forEach((segment, index) => {
      if (segment.seconds <= 0) return;
      const share = segment.seconds / bar.total;
      const tip = `${bar.label}, ${segment.phase}: ${formatDuration(segment.seconds)} (${(share * 100).toFixed(0)}%)`;
      parts.push(
        `<rect class="mark" x="${x(start).toFixed(1)}" y="${top}" width="${Math.max(0.5, share * plot.width).toFixed(1)}" height="${barHeight}" ` +
          `fill="${PHASE_COLORS[index]}"><title>${escapeXml(tip)}</title></rect>`,
      );
      start += share;
    });
    parts.push(`<text x="${width - 4}" y="${top + barHeight / 2}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatDuration(bar.endToEnd))}</text></g>`);
  });
  const svg =
    `<svg class="chart" role="img" aria-label="Phase shares at ${formatElements(elements)} elements" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" ${FONT}>${parts.join('')}</svg>`;
  return { elements, svg };
}
