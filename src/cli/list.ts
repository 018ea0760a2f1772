// `ipclab list`: one line per transport id with what it is and the modes it runs in; `--verbose`
// adds every bulk transport's Python counterpart, mechanism and limits, and each message path's mechanism.
import { INTEROP_TRANSPORT_IDS, PYTHON_MESSAGE_TRANSPORT_IDS, PYTHON_TRANSPORT_IDS, type MessageMode, type MessageTransportId, type TransportId } from '../bench/ids.js';
import type { Transport } from '../bench/side.js';

export type TransportListing = Pick<
  Transport,
  'id' | 'standsFor' | 'mechanism' | 'topology' | 'payloads' | 'codecs' | 'constraint' | 'limits' | 'runtime'
>;

const LABEL_WIDTH = 12;
const LINE_WIDTH = 100;

/** Word-wraps `text` after a label column; continuation lines are indented under the text. */
function field(label: string, text: string, bullet = ''): string[] {
  const indent = ' '.repeat(2 + LABEL_WIDTH);
  const room = LINE_WIDTH - indent.length - bullet.length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.map((content, index) => {
    const head = index === 0 ? `  ${label.padEnd(LABEL_WIDTH)}${bullet}` : `${indent}${' '.repeat(bullet.length)}`;
    return `${head}${content}`.trimEnd();
  });
}

/** A message path as the list shows it: its id, mechanism, and the message modes it runs in. */
export interface MessageListing {
  id: MessageTransportId;
  mechanism: string;
  modes: readonly MessageMode[];
}

/** What each id is, in a few words (the compact list); --verbose shows the full mechanism. */
const SHORT: Record<TransportId | MessageTransportId, string> = {
  'ipc-json': 'process.send over fork IPC, JSON serialization',
  'ipc-advanced': "process.send over fork IPC, 'advanced' serialization",
  pipe: 'an OS pipe to a forked child (stdio)',
  'shm-element': 'ipclab shared memory, a JS Array copied element by element',
  broker: 'a third process holding the value, over a Unix socket',
  shm: 'ipclab ShmChannel: send/receive of typed arrays',
  'shm-zero-copy': 'ipclab ShmChannel zero-copy: reserve/commit, read in place',
  'shm-value': 'ipclab ShmChannel.sendValue (structured clone into the ring)',
  'shm-batch': 'ipclab ShmChannel sendMany/receiveMany (batches of messages)',
  semaphore: 'ipclab in-segment semaphores around a shared buffer',
  'file-tmp': 'a file in the temp dir, then a flag; read back',
  'file-shm': 'a file in /dev/shm, then a flag; read back',
  tcp: 'node:net over TCP loopback',
  unix: 'node:net over a Unix domain socket',
  'worker-clone': 'worker_threads postMessage (structured clone)',
  'worker-transfer': 'worker_threads postMessage with a transfer list',
  'worker-sab': 'worker_threads over a SharedArrayBuffer + Atomics',
  native: "C++ reference over ipclab's core: the floor for message paths",
  'py-queue': "Python multiprocessing.Queue",
  'py-pipe': 'Python multiprocessing.Pipe',
  'py-array': "Python multiprocessing.Array (with its lock)",
  'py-array-nolock': 'Python multiprocessing.Array(lock=False)',
  'py-manager': 'Python multiprocessing.Manager().list()',
  'py-rawarray': 'Python multiprocessing.RawArray + numpy, rebuilt as a list',
  'py-rawarray-numpy': 'Python RawArray + numpy, handed over as numpy (as the seed)',
  'py-file': 'Python pickle to a file in the temp dir',
  'py-file-shm': 'Python pickle to a file in /dev/shm',
  'py-socket': 'Python pickle over a TCP socket',
  'py-shared-memory': 'Python multiprocessing.shared_memory + numpy',
  'interop-node-to-py': 'Node writes an ipclab segment, Python reads it',
  'interop-py-to-node': 'Python writes an ipclab segment, Node reads it',
  'py-ipclab': "Python to Python over ipclab's ShmChannel",
  'interop-node-to-py-channel': 'Node to Python over an ipclab ShmChannel',
  'interop-py-to-node-channel': 'Python to Node over an ipclab ShmChannel',
};

const needsPython = (id: string) => [...PYTHON_TRANSPORT_IDS, ...INTEROP_TRANSPORT_IDS, ...PYTHON_MESSAGE_TRANSPORT_IDS].some((python) => python === id);

/** One line per id, bulk transports first, then the paths only the message modes have. */
export function renderCompactTransportList(transports: readonly Pick<TransportListing, 'id'>[], messages: readonly MessageListing[]): string {
  const ids = [...new Set<TransportId | MessageTransportId>([...transports.map((transport) => transport.id), ...messages.map((message) => message.id)])];
  const modesOf = (id: string) => {
    const bulk = transports.some((transport) => transport.id === id) ? ['bulk'] : [];
    const modes = [...bulk, ...(messages.find((message) => message.id === id)?.modes ?? [])].join(' ');
    return needsPython(id) ? `${modes} (--python)` : modes;
  };
  const rows = ids.map((id) => [id, modesOf(id), SHORT[id]]);
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length), column === 0 ? 2 : 5));
  const line = (cells: readonly string[]) => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`.trimEnd();
  return [
    `${ids.length} ids for "ipclab bench --transports" (bulk by default; latency, throughput with --mode); --verbose for details`,
    line(['id', 'modes', 'what it is']),
    ...rows.map(line),
    '',
  ].join('\n');
}

export function renderTransportList(transports: readonly TransportListing[], messages: readonly MessageListing[] = []): string {
  if (transports.length === 0 && messages.length === 0) return 'No transports are registered.\n';
  const blocks = transports.map((transport) => {
    const limits = transport.limits.length === 0 ? field('limits', 'none known') : transport.limits.flatMap((limit, index) => field(index === 0 ? 'limits' : '', limit, '- '));
    return [
      `${transport.id}  (stands for Python's ${transport.standsFor})`,
      ...field('mechanism', transport.mechanism),
      ...field('topology', transport.topology),
      ...(transport.runtime ? field('runs in', `${transport.runtime.sender} (sender), ${transport.runtime.receiver} (receiver)`) : []),
      ...field('payloads', transport.payloads.join(', ')),
      ...field('codecs', transport.codecs.join(', ')),
      ...field('constraint', transport.constraint),
      ...limits,
    ].join('\n');
  });
  const paths = messages.map((message) => [`${message.id}  (${message.modes.join(', ')})`, ...field('mechanism', message.mechanism)].join('\n'));
  const messageSection = paths.length === 0 ? '' : `\nMessage paths (--mode latency, throughput), ${paths.length}:\n\n${paths.join('\n\n')}\n`;
  return `${transports.length} transport(s); "stands for" names the row of Python's multiprocessing table it answers.\n\n${blocks.join('\n\n')}\n${messageSection}`;
}
