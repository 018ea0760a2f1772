// The BenchOutput itself, as pretty JSON (the shape schema/bench-output.schema.json describes).
import type { BenchOutput } from '../results.js';

export function renderJson(output: BenchOutput): string {
  return `${JSON.stringify(output, null, 2)}\n`;
}
