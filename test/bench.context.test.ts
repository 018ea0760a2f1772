import { readFileSync } from 'node:fs';
import os from 'node:os';

import { describe, expect, it } from 'vitest';

import { collectContext, ipclabVersion } from '../src/bench/context.js';
import { finishProvenance, selectedChoice } from '../src/bench/provenance.js';

describe('collectContext', () => {
  it('records this machine, this runtime and how the run was made', () => {
    const before = Date.now();
    const context = collectContext('ipclab bench --sizes 1e3', 5, 30);
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(context.ipclabVersion).toBe(manifest.version);
    expect(ipclabVersion()).toBe(manifest.version);
    expect(context.cpu).toBe(os.cpus()[0]?.model.trim() || 'unknown');
    expect(context.cores).toBe(os.availableParallelism());
    expect(context.memoryBytes).toBe(os.totalmem());
    expect(context.kernel).toBe(os.release());
    expect(context.node).toBe(process.version);
    expect(context.v8).toBe(process.versions.v8);
    expect(context.platform).toBe(`${process.platform}-${process.arch}`);
    expect(context.command).toBe('ipclab bench --sizes 1e3');
    expect(context.repeat).toBe(5);
    expect(context.timeoutSeconds).toBe(30);
    expect(new Date(context.date).toISOString()).toBe(context.date);
    expect(Date.parse(context.date)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(context.date)).toBeLessThanOrEqual(Date.now());
  });
});

describe('run provenance', () => {
  it('records the CPU model and flags, the huge-page modes and the load before; the run adds the load after and Python', () => {
    const provenance = collectContext('ipclab bench', 1, 30).provenance!;
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    expect(cpuinfo).toContain(provenance.cpu.model);
    const flags = /^flags\s*:\s*(.*)$/m.exec(cpuinfo)![1]!.trim().split(/\s+/);
    expect(provenance.cpu.flagCount).toBe(flags.length);
    for (const flag of provenance.cpu.copyFlags) expect(flags).toContain(flag);
    const thp = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
    expect(thp).toContain(`[${provenance.transparentHugePages.enabled}]`);
    expect(selectedChoice('always [madvise] never')).toBe('madvise');
    expect(provenance.loadAverage).toEqual({ before: expect.any(Array), after: null });
    expect(provenance.python).toBeNull();
    const finished = finishProvenance(provenance, true);
    expect(finished.loadAverage.after).toHaveLength(3);
    expect(finished.python!.version === null || /^\d+\.\d+/.test(finished.python!.version)).toBe(true);
  });
});
