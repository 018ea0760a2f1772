// Python's multiprocessing, measured on this machine by the same harness: the seed study's rows
// (Queue, Pipe, Array, Manager, RawArray + numpy, File, socket) plus Python 3.8+'s
// multiprocessing.shared_memory, and ipclab's own Python package (py-ipclab). Both sides run
// src/bench/python/ipclab_case.py: the harness starts the sender, which forks the receiver (fork
// start method) before it builds its payload. `array` is list(range(n)); `int32` is a numpy int32
// array, or array.array('i') when numpy is missing (the row's note says which).
import { PYTHON_TRANSPORT_IDS, type CodecId, type PythonTransportId, type TransportId } from '../ids.js';
import { pythonMissing } from '../python.js';
import type { CaseSpec, MemoryUse, ReceiverSession, SenderSession, Transport } from '../side.js';

/** A Python side never runs in Node; reaching this is a harness bug. */
function runsInPython(id: TransportId): () => Promise<never> {
  return () => Promise.reject(new Error(`${id}: this side runs in Python (src/bench/python/ipclab_case.py), not in Node`));
}

interface PythonRow {
  standsFor: string;
  mechanism: string;
  codec: CodecId;
  constraint: string;
  limits?: string[];
  needsNumpy?: boolean;
  /** Where its faults fall (Transport.memory), where declared. */
  memory?: MemoryUse;
  /** Copies of the payload (see Transport.copies): into and out of the pipe, array, file or server. */
  copies: number | ((spec: CaseSpec) => number);
}

function pythonTransport(id: PythonTransportId, row: PythonRow): Transport {
  return {
    id,
    standsFor: row.standsFor,
    mechanism: `Python ${row.mechanism}`,
    runtime: { sender: 'python', receiver: 'python' },
    topology: 'parent-child',
    payloads: ['array', 'int32'],
    codecs: [row.codec],
    constraint: row.constraint,
    limits: [
      ...(row.limits ?? []),
      row.needsNumpy
        ? 'Needs python3 and numpy; skipped with the reason when either is missing.'
        : "Needs python3; without numpy an int32 payload is an array.array('i'), said in the row.",
    ],
    copies: (spec) => (typeof row.copies === 'number' ? row.copies : row.copies(spec)),
    ...(row.memory ? { memory: row.memory } : {}),
    unsupported: () => pythonMissing(row.needsNumpy ?? false),
    openSender: runsInPython(id) as () => Promise<SenderSession>,
    openReceiver: runsInPython(id) as () => Promise<ReceiverSession>,
  };
}

const PICKLED = 'picklable';
/** mp.Array and RawArray are zero-filled when made, before the fork: the sender writes mapped pages; the receiver's copy is new. */
const ZERO_FILLED: MemoryUse = { sender: 'pre-mapped', receiver: 'fresh' };
const FLAGGED = '1-D array, completion flag needed';

const ROWS: Record<PythonTransportId, PythonRow> = {
  'py-queue': {
    copies: 2,
    standsFor: 'Queue',
    mechanism: 'multiprocessing.Queue: put() hands the object to a feeder thread that pickles it into a pipe; get() unpickles',
    codec: 'pickle',
    constraint: PICKLED,
    limits: ['send ends when put() returns, before the feeder thread has written anything.'],
  },
  'py-pipe': {
    copies: 2,
    standsFor: 'Pipe',
    mechanism: 'multiprocessing.Pipe(duplex=False): send() pickles and writes, recv() reads and unpickles',
    codec: 'pickle',
    constraint: PICKLED,
  },
  'py-array': {
    copies: 2,
    standsFor: 'shared memory (mp.Array)',
    mechanism: "multiprocessing.Array('i', n) (default lock=True): slice-assigned under its lock, an Event as completion flag, sliced out under the lock",
    memory: ZERO_FILLED,
    codec: 'raw',
    constraint: FLAGGED,
  },
  'py-array-nolock': {
    copies: 2,
    standsFor: 'shared memory (mp.Array)',
    mechanism: "multiprocessing.Array('i', n, lock=False): the same as py-array without the lock",
    memory: ZERO_FILLED,
    codec: 'raw',
    constraint: FLAGGED,
  },
  'py-manager': {
    copies: 4, // into the manager process and out of it, each through a socket
    standsFor: 'Manager (list proxy)',
    mechanism: 'multiprocessing.Manager().list(): the sender extends the proxy (an int32 payload goes in as one item), the receiver copies it out',
    codec: 'pickle',
    constraint: 'proxy objects',
    limits: ['Slow at 10^8 (minutes): cap it with --budget or --timeout; a timeout is reported with its reason.'],
  },
  'py-rawarray': {
    copies: (spec) => (spec.payload === 'array' ? 4 : 2), // cast, in, out, tolist
    standsFor: 'RawArray + numpy',
    mechanism: "multiprocessing.RawArray('i', n): the list is cast with numpy (the seed's \"cast\"), copied in, an Event as flag, copied out",
    memory: ZERO_FILLED,
    codec: 'raw',
    constraint: FLAGGED,
    needsNumpy: true,
  },
  'py-rawarray-numpy': {
    copies: (spec) => (spec.payload === 'array' ? 3 : 2), // cast, in, out (no tolist)
    standsFor: 'RawArray + numpy',
    mechanism:
      "multiprocessing.RawArray('i', n) as the seed study ran it: the list is cast with numpy, copied in, an Event as flag, copied out into a numpy int32 array, which the receiver keeps (no .tolist())",
    codec: 'raw',
    constraint: FLAGGED,
    needsNumpy: true,
    memory: ZERO_FILLED,
    limits: ['array: the receiver ends with a numpy int32 array, not a list (what the seed\'s 0.18 s recv handed over); py-rawarray rebuilds the list.'],
  },
  'py-file': {
    copies: 2,
    standsFor: 'File (pickle)',
    mechanism: 'pickle.dump to a file in the case directory under the temp dir (beside file-tmp), an Event as flag, read back and pickle.loads',
    codec: 'pickle',
    constraint: 'picklable, completion flag needed',
  },
  'py-file-shm': {
    copies: 2,
    standsFor: 'File (pickle)',
    mechanism: 'pickle.dump to a file on /dev/shm (beside file-shm), an Event as flag, read back and pickle.loads',
    codec: 'pickle',
    constraint: 'picklable, completion flag needed',
  },
  'py-socket': {
    copies: 2,
    standsFor: 'socket (pickle)',
    mechanism: 'pickle.dumps, then a length-prefixed send over TCP loopback; the receiver reads it all, then pickle.loads',
    codec: 'pickle',
    constraint: 'picklable, completion flag needed',
  },
  'py-shared-memory': {
    copies: (spec) => (spec.payload === 'array' ? 3 : 2), // cast into the segment, out, tolist
    standsFor: 'shared memory (Python 3.8+ shared_memory)',
    mechanism: 'multiprocessing.shared_memory.SharedMemory: numpy casts the list straight into the named segment; the receiver opens it by name and copies out',
    codec: 'raw',
    constraint: FLAGGED,
    needsNumpy: true,
  },
  'py-ipclab': {
    copies: (spec) => (spec.payload === 'array' ? 4 : 2), // cast, into the ring, out, tolist
    standsFor: 'shared memory (ipclab ShmChannel)',
    mechanism:
      "ShmChannel from ipclab's own Python package (python/, over libipclab): the int32 array (a list cast first) streams through the ring in chunks while the receiver copies them into an array of its own",
    codec: 'raw',
    constraint: '1-D typed array (any dtype), no completion flag',
    limits: ['Needs libipclab (built by npm ci beside the addon).'],
  },
};

/** Each Python transport under its id. */
export const pythonTransports = Object.fromEntries(PYTHON_TRANSPORT_IDS.map((id) => [id, pythonTransport(id, ROWS[id])])) as Record<PythonTransportId, Transport>;
