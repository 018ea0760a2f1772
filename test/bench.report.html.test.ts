import { describe, expect, it } from 'vitest';

import { niceTicks, timeSeries } from '../src/bench/report/charts.js';
import { renderHtml } from '../src/bench/report/html.js';
import { fixtureOutput, fixtureTransports } from './fixtures/bench-output.js';

const html = renderHtml(fixtureOutput, { transports: fixtureTransports });
const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

/** Checks that every tag in a fragment is closed in order (a cheap well-formedness test). */
function balanced(fragment: string): boolean {
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of fragment.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing || name === 'br') continue; // <br> is a void element
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

interface Circle {
  cx: number;
  cy: number;
  title: string;
}

const circles: Circle[] = [...(svgs[0] ?? '').matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map(
  ([, cx, cy, title]) => ({ cx: Number(cx), cy: Number(cy), title: title! }),
);

describe('HTML report', () => {
  it('is one self-contained document: no scripts, stylesheets, images or network addresses', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    expect(balanced(html.slice(html.indexOf('<body>'), html.indexOf('</body>') + '</body>'.length))).toBe(true);
  });

  it('names the machine, runtime and date', () => {
    expect(html).toContain('cpu: Fixture CPU 3000 (2 cores), memory: 24.0 GiB, kernel: 6.1.0-fixture (linux-x64)');
    expect(html).toContain('runtime: Node v20.20.0');
    expect(html).toContain('<title>ipclab bench, 2025-01-02T03:04:05.000Z</title>');
  });

  it('draws a log-log line chart with one line per transport, payload and codec, legend and axis units', () => {
    expect(svgs).toHaveLength(2);
    const chart = svgs[0]!;
    const series = timeSeries(fixtureOutput);
    expect(series.map((item) => item.label)).toEqual([
      'pipe array/json',
      'pipe array/v8',
      'tcp array/json',
      'shm-zero-copy int32/raw',
      'ipc-advanced int32/v8',
    ]);
    for (const item of series) expect(chart).toContain(`>${item.label}</text>`); // legend entry
    expect(chart.match(/<polyline /g)).toHaveLength(series.filter((item) => item.points.length > 1).length);
    expect(chart).toContain('elements (log scale)');
    expect(chart).toContain('end-to-end time, median (s, log scale)');
    // Decade ticks: 10^5 and 10^6 elements; 10^-4 .. 10^0 seconds.
    expect(chart).toContain('10<tspan dy="-6" font-size="75%">5</tspan>');
    expect(chart).toContain('10<tspan dy="-6" font-size="75%">-4</tspan>');
    // Failed or unverified cases are not plotted.
    expect(chart).not.toContain('file-tmp');
    expect(chart).not.toContain('ipc-json');
  });

  it('places points by log size and log time', () => {
    const at = (title: string) => circles.find((circle) => circle.title === title)!;
    const slow = at('ipc-advanced int32/v8 at 10^6: 0.132 s');
    const fast = at('shm-zero-copy int32/raw at 10^6: 0.00110 s');
    const small = at('ipc-advanced int32/v8 at 10^5: 0.0150 s');
    expect(slow.cx).toBeCloseTo(fast.cx, 5);
    expect(slow.cx).toBeGreaterThan(small.cx);
    expect(slow.cy).toBeLessThan(fast.cy); // slower is higher
    // Log scale: 0.0150 s -> 0.132 s is log10(8.8) of a decade; 0.0011 s -> 0.132 s is log10(120).
    const decade = (fast.cy - slow.cy) / Math.log10(0.132 / 0.0011);
    expect((small.cy - slow.cy) / decade).toBeCloseTo(Math.log10(0.132 / 0.015), 1);
  });

  it('draws phase breakdown bars for every verified case at the largest size', () => {
    const bars = svgs[1]!;
    expect(html).toContain('Where the time goes at 10^6 elements');
    const labels = [...bars.matchAll(/<g class="bar" data-label="([^"]+)"/g)].map(([, label]) => label);
    expect(labels).toEqual(['pipe array/json', 'pipe array/v8', 'tcp array/json', 'shm-zero-copy int32/raw', 'ipc-advanced int32/v8']);
    for (const phase of ['cast', 'encode', 'transfer', 'decode', 'other']) expect(bars).toContain(`>${phase}</text>`);
    expect(bars).toContain('<title>ipc-advanced int32/v8, transfer: 0.0528 s</title>');
    expect(bars).toContain('>0.132 s</text>');
    expect(bars).toContain('time, median (s)');
  });

  it('has the results table with reasons, and the summaries', () => {
    expect(html).toContain('<th class="right">end-to-end (s)</th>');
    expect(html).toContain('<td>errored</td><td>JSON text for 10^8 elements exceeds V8&#39;s string limit of 536,870,888 characters (&#34;Invalid string length&#34;)</td>');
    expect(html).toContain('<td>hand-off</td><td>int32</td><td>raw</td>');
    expect(html).toContain('<td class="right">0.00110 (0.00100–0.00120)</td>');
    expect(html).toContain('each median is followed by its spread in parentheses');
    expect(html).toContain('commit 0123456789ab; addon: node-gyp build');
    expect(html).toContain(
      '<li>10^6 int32, hand-offs between processes, hand-off latency (end-to-end; nothing copied): shm-zero-copy 0.00110 (0.00100–0.00120) s fastest</li>',
    );
  });

  it('says so instead of drawing empty charts when nothing was verified', () => {
    const empty = renderHtml({ ...fixtureOutput, results: fixtureOutput.results.filter((result) => result.status !== 'completed') });
    expect(empty).toContain('No verified case to plot.');
    expect(empty).not.toContain('<svg');
    expect(empty).toContain('<td>skipped</td>');
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten up to the maximum', () => {
    expect(niceTicks(0.15)).toEqual([0, 0.05, 0.1, 0.15]);
    expect(niceTicks(0.16)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});
