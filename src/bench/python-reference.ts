// The published measurement ipclab is modelled on: Python 3.7 multiprocessing moving
// list(range(10^8)) from one process to another (seconds, as published; not measured here), and
// the ipclab transports that stand for each of its methods.
import type { TransportId } from './ids.js';

/** The label every report gives these figures: they were not measured here. */
export const PYTHON_REFERENCE_LABEL = 'published (Python 3.7, 2019, other machine)';

/** Where the figures come from. */
export const PYTHON_REFERENCE_SOURCE =
  '"I measured various methods of interprocess communication in multiprocessing of python3" (2019, Python 3.7, ' +
  'list(range(10^8)) sent once between two processes, send and recv timed with time.time(), only d[5]==5 checked; ' +
  'English copy: https://memotut.com/en/836a3596df5facd00824), typed into src/bench/python-reference.ts';

export interface PythonReferenceRow {
  method: string;
  /** As published: "3.12", or "5.61 cast + 0.16". */
  send: string;
  recv: string;
  constraint: string;
  transports: TransportId[];
}

export const PYTHON_REFERENCE_ELEMENTS = 1e8;

export const PYTHON_REFERENCE: readonly PythonReferenceRow[] = [
  { method: 'Queue', send: '0.00', recv: '5.33', constraint: 'picklable', transports: ['ipc-json', 'ipc-advanced'] },
  { method: 'Pipe', send: '3.12', recv: '5.33', constraint: 'picklable', transports: ['pipe'] },
  { method: 'shared memory (mp.Array)', send: '3.02', recv: '2.55', constraint: '1-D array, completion flag needed', transports: ['shm-element'] },
  { method: 'Manager (list proxy)', send: '10.19', recv: '10.29', constraint: 'proxy objects', transports: ['broker'] },
  { method: 'RawArray + numpy', send: '5.61 cast + 0.16', recv: '0.18', constraint: '1-D array, completion flag needed', transports: ['shm', 'shm-zero-copy'] },
  { method: 'File (pickle)', send: '3.86', recv: '5.26', constraint: 'picklable, completion flag needed', transports: ['file-tmp', 'file-shm'] },
  { method: 'socket (pickle)', send: '4.13', recv: '5.34', constraint: 'picklable, completion flag needed', transports: ['tcp', 'unix'] },
  { method: '(threads: no multiprocessing row)', send: '-', recv: '-', constraint: '-', transports: ['worker-clone', 'worker-transfer', 'worker-sab'] },
];
