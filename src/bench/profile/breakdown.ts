// The conclusion of a profile: each side's window split into shares a person can act on (ipclab's
// copy, its waits and wake-ups, its close and unmap, time the thread slept, serialization, garbage
// collection, the harness, Node and V8, and time no sample saw), page faults turned into time by a per-fault cost
// measured in the same run, and a sentence on what the top functions are. Pure.
import type { FunctionTime } from './cpuprofile.js';

export const SHARE_NAMES = [
  'ipclab copy',
  'ipclab wait and wake',
  'ipclab close and unmap',
  'ipclab other',
  'waiting (thread idle)',
  'serialization',
  'garbage collection',
  'harness',
  'Node and V8',
  'not sampled',
] as const;
export type ShareName = (typeof SHARE_NAMES)[number];

export interface Share {
  name: ShareName;
  ms: number;
  /** Of the window (or of the whole profile when the clock is not shared). */
  percent: number;
  /** The functions that make up most of it, largest first (at most three). */
  functions: string[];
}

/** ipclab's library code (not the benchmark), compiled or run from source. */
const IPCLAB_LIBRARY = /^(dist|src)\/(channel\/|shared-memory|semaphore|native|handles|liveness|cleanup)/;
const SERIALIZATION = /^(dist|src)\/bench\/(codecs\/|payload)|^node:v8/;
const SERIALIZING_NAMES = new Set(['serialize', 'deserialize', 'parse', 'stringify', 'writeValue', 'readValue', 'readHeader', 'writeHeader']);
const TRANSPORTS = /^(dist|src)\/bench\/transports\//;
const HARNESS = /^(dist|src)\/bench\/|^node:(net|child_process|internal\/(streams|child_process|net|stream_base_commons))/;

/** Which share a function's self time belongs to. */
export function shareOf(item: Pick<FunctionTime, 'functionName' | 'location'>): ShareName {
  const { functionName: name, location } = item;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)') return 'waiting (thread idle)';
  if (IPCLAB_LIBRARY.test(location)) {
    if (/close|unmap|unlink|dispose/i.test(name)) return 'ipclab close and unmap';
    if (/wait|wake|sleep|park|post|notify|doorbell/i.test(name)) return 'ipclab wait and wake';
    if (/copy|write|read|chunk|payload|send|receive|reserve|commit|release|into/i.test(name)) return 'ipclab copy';
    return 'ipclab other';
  }
  if (SERIALIZATION.test(location) || (location === '(native)' && SERIALIZING_NAMES.has(name))) return 'serialization';
  // A transport's own cast of a JS Array into slots, or its encode and decode, is conversion too.
  if (TRANSPORTS.test(location) && /element|cast|encode|decode|assembl/i.test(name)) return 'serialization';
  if (HARNESS.test(location) || name === 'reallyExit') return 'harness';
  return 'Node and V8';
}

/** Every share of a side's counted time, in SHARE_NAMES order; "not sampled" is the basis less what samples saw. */
export function breakdown(functions: readonly FunctionTime[], basisMs: number, sampledMs: number): Share[] {
  const percent = (ms: number) => (basisMs > 0 ? (ms / basisMs) * 100 : 0);
  return SHARE_NAMES.map((name) => {
    if (name === 'not sampled') {
      const ms = Math.max(basisMs - sampledMs, 0);
      return { name, ms, percent: percent(ms), functions: [] };
    }
    const members = functions.filter((item) => item.selfMicros > 0 && shareOf(item) === name);
    const ms = members.reduce((sum, item) => sum + item.selfMicros, 0) / 1000;
    return { name, ms, percent: percent(ms), functions: [...new Set(members.map((item) => item.functionName))].slice(0, 3) };
  });
}

/** What a function that often tops a profile is doing, for the conclusion; undefined when unknown. */
const EXPLANATIONS: ReadonlyArray<{ name: RegExp; location: RegExp; text: string }> = [
  { name: /^close$/, location: /shared-memory/, text: 'SharedMemory.close(): munmap of the segment; the kernel frees every page it mapped, so a large mapping costs milliseconds' },
  { name: /^close$/, location: /channel\//, text: "ShmChannel close: marks the channel closed, wakes the peer and unmaps the channel's segment (munmap)" },
  { name: /^tryWriteChunk$/, location: /ring-writer/, text: 'copies the payload into the ring (TypedArray.set, a memcpy); the first touch of each ring page faults' },
  { name: /^copyPayload$/, location: /ring-reader/, text: "copies out of the ring into the receiver's new typed array (a memcpy); each fresh page of that array faults on first touch" },
  { name: /^copyIntoSlot$/, location: /payload/, text: "casts the JS Array into the ring's int32 or float64 slots, element by element (conversion, not a memcpy)" },
  { name: /^(arrayOfHoles|add|ArrayAssembler|finish)$/, location: /payload/, text: 'rebuilds a JS Array from the received numbers, element by element (conversion back; V8 grows the Array as it goes)' },
  { name: /^\(idle\)$/, location: /^$/, text: "the thread slept: waiting for data or for the other side's wake-up (over shm, ipclab's addon waits off the JS thread)" },
  { name: /^\(program\)$/, location: /^$/, text: 'V8 and native code with no JS frame: calls into the addon, compiling, start-up' },
  { name: /^\(garbage collector\)$/, location: /^$/, text: "V8's garbage collector" },
  { name: /^(serialize|deserialize|writeValue|readValue)$/, location: /./, text: 'V8 structured-clone serialization' },
  { name: /^(parse|stringify)$/, location: /./, text: 'JSON text' },
];

export function explain(item: Pick<FunctionTime, 'functionName' | 'location'>): string | undefined {
  return EXPLANATIONS.find((entry) => entry.name.test(item.functionName) && entry.location.test(item.location))?.text;
}

/** A measured cost of one minor page fault, and how it was measured. */
export interface FaultCost {
  microsPerFault: number;
  /** "fresh minus warm memcpy of 16.0 MiB, per 4 KiB page, median of 3". */
  how: string;
}

/** The cost per fault from a fresh and a warm memcpy of `bytes`: the difference per 4 KiB page. */
export function faultCostFromMemcpy(bytes: number, freshSeconds: number, warmSeconds: number, pageBytes = 4096): number {
  return (Math.max(freshSeconds - warmSeconds, 0) / Math.ceil(bytes / pageBytes)) * 1e6;
}
