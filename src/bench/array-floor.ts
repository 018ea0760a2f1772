// The floor under any JS Array transport, measured in one fresh process (dist/bench/array-floor.js
// <elements> <slot elements>): turning a local Int32Array into a JS Array the way the shm receiver
// does (ArrayAssembler, slot by slot), and the sender's cast alone (rawWireType's lossless check,
// then copyIntoSlot into a warm slot, as the shm sender does).
// No bytes cross between processes, so a transport that moves a JS Array cannot beat the slower of
// the two; the harness runs it beside the cases and prints JSON on stdout.
import { ArrayAssembler, buildArray, copyIntoSlot, rawWireType } from './payload.js';

export interface ArrayFloorTiming {
  materializeSeconds: number;
  castSeconds: number;
}

function seconds(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e9;
}

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

const [elementsArgument, slotArgument] = process.argv.slice(2);
if (elementsArgument !== undefined && slotArgument !== undefined && process.argv[1]?.endsWith('array-floor.js')) {
  process.stdout.write(`${JSON.stringify(measureArrayFloorHere(Number(elementsArgument), Number(slotArgument)))}\n`);
}
