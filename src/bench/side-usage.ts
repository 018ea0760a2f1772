// A side's resource use, read at its end. The Python side reports the same fields
// (src/bench/python/ipclab_side.py); test/bench.python-contract.test.ts holds the two together.
import type { SideUsage } from './side.js';

export function sideUsage(sharedProcess: boolean): SideUsage {
  const used = process.resourceUsage();
  return {
    maxRssBytes: used.maxRSS * 1024,
    userCpuSeconds: used.userCPUTime / 1e6,
    systemCpuSeconds: used.systemCPUTime / 1e6,
    minorPageFaults: used.minorPageFault,
    majorPageFaults: used.majorPageFault,
    sharedProcess,
  };
}
