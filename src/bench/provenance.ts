// What a reader of a run needs to trust its figures beyond the machine line: the CPU's model and
// the instruction-set flags that decide copy speed, transparent huge pages (numpy asks for them,
// Node does not, so a fault count differs by 512x per page), how loaded the machine was before and
// after, and which Python and numpy ran the Python rows.
import { readFileSync } from 'node:fs';
import os from 'node:os';

import { probePython, pythonCommand } from './python.js';
import type { RunProvenance } from './results.js';

/** Flags that change how fast bytes move, shown by name when the CPU has them (the rest are counted). */
const COPY_FLAGS = ['sse4_2', 'avx', 'avx2', 'avx512f', 'avx512bw', 'erms', 'fsrm', 'hypervisor'];

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The selected value of a sysfs choice list ("always [madvise] never" -> "madvise"), or the text itself. */
export function selectedChoice(text: string | null): string | null {
  if (text === null) return null;
  return /\[([^\]]+)\]/.exec(text)?.[1] ?? text;
}

/** The first CPU's model name and flags from /proc/cpuinfo (os.cpus() where it is missing). */
function cpuInfo(): RunProvenance['cpu'] {
  const info = readText('/proc/cpuinfo') ?? '';
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(info)?.[1]?.trim();
  const flags = (field('flags') ?? '').split(/\s+/).filter(Boolean);
  return { model: field('model name') ?? os.cpus()[0]?.model.trim() ?? 'unknown', flagCount: flags.length, copyFlags: COPY_FLAGS.filter((flag) => flags.includes(flag)) };
}

const THP = '/sys/kernel/mm/transparent_hugepage';

/** The machine's side of a run's provenance, measured before its first case. */
export function machineProvenance(): RunProvenance {
  return {
    cpu: cpuInfo(),
    transparentHugePages: {
      enabled: selectedChoice(readText(`${THP}/enabled`)),
      defrag: selectedChoice(readText(`${THP}/defrag`)),
      shmemEnabled: selectedChoice(readText(`${THP}/shmem_enabled`)),
    },
    loadAverage: { before: os.loadavg(), after: null },
    numpyMadviseHugepage: process.env.NUMPY_MADVISE_HUGEPAGE ?? null,
    python: null,
  };
}

/** The provenance once the run is over: the load average after it, and Python's versions if Python rows ran. */
export function finishProvenance(provenance: RunProvenance, ranPython: boolean): RunProvenance {
  const probe = ranPython ? probePython() : undefined;
  return {
    ...provenance,
    loadAverage: { ...provenance.loadAverage, after: os.loadavg() },
    python: probe ? { command: pythonCommand(), version: probe.python, numpy: probe.numpy } : null,
  };
}
