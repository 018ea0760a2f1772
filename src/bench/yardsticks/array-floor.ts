// The floor under any JS Array transport (see ArrayFloor in results.ts), measured in one fresh
// process per repetition (array-floor-process.ts): turning a local Int32Array into a JS Array the
// way the shm receiver does (ArrayAssembler, slot by slot), and the sender's cast alone
// (rawWireType's lossless check, then copyIntoSlot into a warm slot, as the shm sender does).
// No bytes cross between processes, so a transport that moves a JS Array cannot beat the slower.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

import { caseNodeFlags, distEntry } from '../paths.js';
import { ArrayAssembler, buildArray, copyIntoSlot, rawWireType } from '../payload.js';
import type { ArrayFloor } from '../results.js';
import { stats } from '../stats.js';

export interface ArrayFloorTiming {
  materializeSeconds: number;
  castSeconds: number;
}

const arrayFloorEntry = distEntry('bench/yardsticks/array-floor-process.js');

function seconds(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e9;
}

/** One repetition, in this process: `slotElements` is the slot the shm transport casts into and rebuilds from. */
export function measureArrayFloorHere(elements: number, slotElements: number): ArrayFloorTiming {
  const typed = new Int32Array(elements);
  for (let i = 0; i < elements; i++) typed[i] = i;
  let started = process.hrtime.bigint();
  const assembler = new ArrayAssembler(elements);
  for (let start = 0; start < elements; start += slotElements) assembler.add(typed.subarray(start, Math.min(elements, start + slotElements)));
  let values: number[] | undefined = assembler.finish();
  const materializeSeconds = seconds(started);
  for (let i = 0; i < elements; i++) {
    if (values[i] !== i) throw new Error(`floor: element ${i} is ${values[i]}, expected ${i}`);
  }
  values = undefined;

  const payload = buildArray(elements);
  const slot = new Int32Array(Math.min(elements, slotElements)).fill(1); // warm, as the channel's slots are
  started = process.hrtime.bigint();
  if (rawWireType(payload) !== Int32Array) throw new Error('floor: the payload holds a value int32 cannot carry');
  for (let start = 0; start < elements; start += slotElements) copyIntoSlot(slot, payload, start, Math.min(slotElements, elements - start));
  const castSeconds = seconds(started);
  return { materializeSeconds, castSeconds };
}

/** One repetition, in a fresh Node process. */
export function measureArrayFloorOnce(elements: number, slotElements: number, timeoutSeconds: number): ArrayFloorTiming {
  const run = spawnSync(process.execPath, [...caseNodeFlags(os.totalmem()), arrayFloorEntry, String(elements), String(slotElements)], {
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
  });
  if (run.status !== 0) throw new Error(`the JS Array floor at ${elements} elements failed (${run.error?.message ?? run.signal ?? `exit ${run.status}`}): ${run.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  return JSON.parse(run.stdout) as ArrayFloorTiming;
}

/** The floor over its repetitions. */
export function arrayFloorOf(elements: number, timings: readonly ArrayFloorTiming[]): ArrayFloor {
  return {
    elements,
    materializeSeconds: stats(timings.map((timing) => timing.materializeSeconds)),
    castSeconds: stats(timings.map((timing) => timing.castSeconds)),
  };
}
