// Every id the benchmark knows, each list written once in the order reports use, with its type
// derived from it. Registries, the command line, the schema test and the frames all start here.

/**
 * What is moved: `array`, a JS Array of the integers 0..n-1 (Python's list); `mixed`, a JS Array of
 * doubles that are not all integers (fractions, negatives, huge magnitudes; see payload.ts); or a
 * typed array of 0..n-1.
 */
export const PAYLOAD_IDS = ['array', 'mixed', 'int32', 'float64'] as const;
export type PayloadId = (typeof PAYLOAD_IDS)[number];

/**
 * How a payload becomes bytes: JSON text, V8 structured-clone bytes, the typed array's own bytes,
 * or Python's pickle (the Python reference transports).
 */
export const CODEC_IDS = ['json', 'v8', 'raw', 'pickle'] as const;
export type CodecId = (typeof CODEC_IDS)[number];

/** Node's transports, one per mechanism (src/bench/transports/): the default run. */
export const NODE_TRANSPORT_IDS = [
  'ipc-json',
  'ipc-advanced',
  'pipe',
  'shm-element',
  'broker',
  'shm',
  'shm-zero-copy',
  'file-tmp',
  'file-shm',
  'tcp',
  'unix',
  'worker-clone',
  'worker-transfer',
  'worker-sab',
] as const;

/** Python's multiprocessing, measured here (src/bench/python/ipclab_transports.py): `--python` adds them. */
export const PYTHON_TRANSPORT_IDS = [
  'py-queue',
  'py-pipe',
  'py-array',
  'py-array-nolock',
  'py-manager',
  'py-rawarray',
  'py-rawarray-numpy',
  'py-file',
  'py-file-shm',
  'py-socket',
  'py-shared-memory',
  'py-ipclab',
] as const;
export type PythonTransportId = (typeof PYTHON_TRANSPORT_IDS)[number];

/** Node and Python on the two sides of one ipclab segment, or of a ShmChannel (-channel): `--python` adds them. */
export const INTEROP_TRANSPORT_IDS = ['interop-node-to-py', 'interop-py-to-node', 'interop-node-to-py-channel', 'interop-py-to-node-channel'] as const;

/** ipclab's own bulk transports, over the addon's shared memory; reports set them apart from Node's built-ins. */
export const IPCLAB_TRANSPORT_IDS = ['shm', 'shm-element', 'shm-zero-copy'] as const satisfies ReadonlyArray<(typeof NODE_TRANSPORT_IDS)[number]>;

/** Every bulk transport, in the order reports list them. */
export const TRANSPORT_IDS = [...NODE_TRANSPORT_IDS, ...PYTHON_TRANSPORT_IDS, ...INTEROP_TRANSPORT_IDS] as const;
export type TransportId = (typeof TRANSPORT_IDS)[number];

/**
 * The paths a message can take, in the order reports list them: ipclab's own, then Node's, then the
 * native floor. Ids shared with the bulk transports mean the same mechanism; `shm-value` is
 * ShmChannel.sendValue, `semaphore` two raw in-segment semaphores around a shared buffer, `native`
 * the C++ reference (native/reference) over the same core.
 */
export const NODE_MESSAGE_TRANSPORT_IDS = ['shm', 'shm-value', 'shm-batch', 'semaphore', 'ipc-json', 'ipc-advanced', 'pipe', 'unix', 'tcp', 'worker-clone', 'native'] as const;

/**
 * Message paths with Python on a side (throughput only; `--python` adds them): Node and Python on
 * the two ends of a ShmChannel, and Python's multiprocessing.Pipe as their yardstick.
 */
export const PYTHON_MESSAGE_TRANSPORT_IDS = ['interop-node-to-py-channel', 'interop-py-to-node-channel', 'py-pipe'] as const;

export const MESSAGE_TRANSPORT_IDS = [...NODE_MESSAGE_TRANSPORT_IDS, ...PYTHON_MESSAGE_TRANSPORT_IDS] as const;
export type MessageTransportId = (typeof MESSAGE_TRANSPORT_IDS)[number];

/** `bulk` moves one payload (the default); the other two move a stream of messages. */
export const BENCH_MODES = ['bulk', 'latency', 'throughput'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];
export type MessageMode = Exclude<BenchMode, 'bulk'>;

export const ROLES = ['sender', 'receiver'] as const;
export type Role = (typeof ROLES)[number];

/**
 * How the sides are started. `pair`: the harness spawns both processes. `parent-child`: the
 * harness spawns the sender, whose transport forks the receiver (`ctx.spawnReceiver`), as
 * `child_process.fork` IPC needs. `threads`: the harness spawns the sender, whose transport starts
 * the receiver in a worker thread (`ctx.startReceiverWorker`).
 */
export const TOPOLOGIES = ['pair', 'parent-child', 'threads'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/**
 * Test-only fault injection, to prove the harness reports failures. `crash`: the sender exits
 * abruptly after the barrier. `hang`: the receiver never returns. `corrupt`: the sender changes one
 * element after building (one message, in the message modes), so the receiver must catch it.
 */
export const FAULTS = ['crash', 'hang', 'corrupt'] as const;
export type Fault = (typeof FAULTS)[number];

/** The phases of a bulk case, in the order reports list them (see PhaseTimes in results.ts). */
export const PHASE_NAMES = ['build', 'cast', 'encode', 'send', 'transfer', 'recv', 'decode', 'endToEnd', 'consume', 'verify', 'wholeJob'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** How `ipclab bench` and `ipclab report` render a run (`--format`). */
export const REPORT_FORMATS = ['table', 'json', 'csv', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How `ipclab profile` prints what it found. */
export const PROFILE_FORMATS = ['text', 'json'] as const;
export type ProfileFormat = (typeof PROFILE_FORMATS)[number];

/** Whether `text` is one of `ids`, narrowing it to that id type. */
export function isOneOf<Id extends string>(ids: readonly Id[], text: string): text is Id {
  return (ids as readonly string[]).includes(text);
}
