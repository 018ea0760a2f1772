import { describe, expect, it } from 'vitest';

import { IPCLAB_TRANSPORTS, panels, transportStyles } from '../src/bench/report/charts.js';
import { renderHtml } from '../src/bench/report/html.js';
import { fixtureOutput, fixtureTransports } from './fixtures/bench-output.js';

const html = renderHtml(fixtureOutput, { transports: fixtureTransports });
const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

/** Checks that every tag in a fragment is closed in order (a cheap well-formedness test). */
function balanced(fragment: string): boolean {
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of fragment.matchAll(/<(\/?)([a-zA-Z0-9]+)[^>]*?(\/?)>/g)) {
    if (selfClosing || name === 'br') continue; // <br> is a void element
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

const svgTitled = (title: string) => svgs.find((svg) => svg.includes(`aria-label="${title}"`));

describe('HTML report', () => {
  it('is one self-contained document: no scripts, stylesheets, images or network addresses', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
    expect(balanced(html.slice(html.indexOf('<body>'), html.indexOf('</body>') + '</body>'.length))).toBe(true);
  });

  it('names the machine, runtime, date and commit', () => {
    expect(html).toContain('cpu: Fixture CPU 3000 (2 cores), memory: 24.0 GiB, kernel: 6.1.0-fixture (linux-x64)');
    expect(html).toContain('runtime: Node v20.20.0');
    expect(html).toContain('<title>ipclab bench, 2025-01-02T03:04:05.000Z</title>');
    expect(html).toContain('commit 0123456789ab; addon: node-gyp build');
  });

  it('draws small multiples: per payload and codec, time beside throughput, each legend holding only its own series', () => {
    expect(panels(fixtureOutput).map((panel) => `${panel.payload}/${panel.codec}`)).toEqual(['array/json', 'array/v8', 'int32/raw', 'int32/v8']);
    const time = svgTitled('array / json: end-to-end time')!;
    const throughput = svgTitled('array / json: throughput')!;
    expect(html.indexOf(time) + time.length).toBe(html.indexOf(throughput)); // side by side in one .panels row
    expect([...time.matchAll(/<g class="series" data-transport="([^"]+)"/g)].map(([, id]) => id)).toEqual(['pipe', 'tcp']);
    expect(time).toContain('>pipe</text>');
    expect(time).not.toContain('ipc-advanced');
    expect(time).toContain('<title>pipe at 10^6: 110 ms</title>');
    expect(throughput).toContain('<title>pipe at 10^6: 0.073 GB/s</title>');
    // Failed or unverified cases are not plotted; a hand-off has no throughput to plot.
    expect(html).not.toMatch(/data-transport="(file-tmp|ipc-json|worker-sab)"/);
    expect(html).toContain('int32 / raw: throughput: only hand-offs here, and a hand-off copies nothing: no GB/s');
  });

  it("draws ipclab's own transports bold and solid with filled dots, Node's thin and dashed with open dots, in one colour each everywhere", () => {
    const styles = transportStyles(fixtureOutput);
    expect(IPCLAB_TRANSPORTS.has('shm-zero-copy')).toBe(true);
    expect(styles.get('shm-zero-copy')).toMatchObject({ own: true, dash: '', width: 3 });
    expect(styles.get('pipe')).toMatchObject({ own: false, dash: '5 3', width: 1.6 });
    expect(new Set([...styles.values()].map((style) => style.color)).size).toBe(styles.size);
    const own = svgTitled('int32 / raw: end-to-end time')!;
    expect(own).toContain('>shm-zero-copy (ipclab)</text>');
    expect(own).toMatch(/<circle class="mark" cx="[\d.]+" cy="[\d.]+" r="4" fill="#/);
    expect(svgTitled('array / json: end-to-end time')).toMatch(/r="3" fill="#fff" stroke="#/);
  });

  it('places points by log size and log time', () => {
    const points = [...svgTitled('int32 / v8: end-to-end time')!.matchAll(/cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>([^<]*)</g)].map(([, cx, cy]) => ({ cx: Number(cx), cy: Number(cy) }));
    expect(points).toHaveLength(2);
    const [small, large] = points as [{ cx: number; cy: number }, { cx: number; cy: number }];
    expect(large.cx).toBeGreaterThan(small.cx);
    expect(large.cy).toBeLessThan(small.cy); // slower is higher
  });

  it('draws phase shares per case at the largest size, fastest first, with the absolute end-to-end beside each', () => {
    const bars = svgs.find((svg) => svg.includes('aria-label="Phase shares at 10^6 elements"'))!;
    const labels = [...bars.matchAll(/<g class="bar" data-label="([^"]+)"/g)].map(([, label]) => label);
    expect(labels).toEqual(['shm-zero-copy int32/raw', 'pipe array/v8', 'pipe array/json', 'ipc-advanced int32/v8', 'tcp array/json']);
    for (const phase of ['cast', 'encode', 'transfer', 'decode', 'other']) expect(bars).toContain(`>${phase}</text>`);
    expect(bars).toContain('<title>ipc-advanced int32/v8, transfer: 52.8 ms (40%)</title>');
    expect(bars).toContain('>132 ms</text>');
    expect(bars).toContain("share of each case's end-to-end median");
  });

  it('has a narrow results table with units per value and spreads, footnotes for failures, and each constraint once', () => {
    expect(html).toContain('<th class="right">end-to-end</th>');
    expect(html).toContain('<td class="right">1.10 ms (1.00–1.20)</td>');
    expect(html).toContain('<td>errored [');
    expect(html).toContain('JSON text for 10^8 elements exceeds V8&#39;s string limit of 536,870,888 characters');
    expect(html.match(/<td>pipe<\/td><td class="wrap">/g)).toHaveLength(1); // constraint table: one row per transport
    expect(html).toContain('each median is followed by its spread in parentheses');
  });

  it('says so instead of drawing charts when nothing was verified', () => {
    const empty = renderHtml({ ...fixtureOutput, results: fixtureOutput.results.filter((result) => result.status !== 'completed') });
    expect(empty).not.toContain('<svg');
    expect(empty).toContain('<td>skipped [');
  });
});
