// Every kind across languages over one ShmChannel: Node -> Python, Python -> Node, Node -> C,
// C -> Node and Python -> Python, small messages, an empty one and one sent in chunks. Each side
// checks the type it rebuilds (numpy dtype or array.array, typed array, bytes, JSON value) and
// every byte; Python turns Node's sendValue (kind 100) into an IpcError naming the kind.
import { describe, expect } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';
import { finished } from './support/processes.js';
import {
  announced,
  C_KINDS,
  cProblem,
  entries,
  itWhere,
  NODE_KINDS,
  nodeReceive,
  nodeSend,
  peerReport,
  PYTHON_KINDS,
  pythonProblem,
  specOf,
  startPeer,
  type Language,
  type PeerOptions,
} from './support/interop.js';

const RING = 64 * 1024;

/** Node sends `list`; the peer receives it. */
async function nodeToPeer(language: Language, list = entries(NODE_KINDS), options: PeerOptions = {}): Promise<void> {
  const channel = ShmChannel.create(testName('to'), { ringBytes: RING });
  try {
    const peer = startPeer(language, 'receive', channel.name, specOf(list), options);
    const run = finished(peer);
    // Once the peer has it open: the creator's close unlinks the name.
    const sent = announced(peer, 'opened').then(() => nodeSend(channel, list)).then(() => channel.close());
    sent.catch(() => undefined); // awaited below, after the peer's report says why
    const report = await peerReport(peer, run);
    expect(report.run.stderr).toBe('');
    expect(report, report.error).toMatchObject({ ok: true, messages: list.length });
    await sent;
  } finally {
    channel.close();
  }
}

/** The peer sends `list`; Node receives it. */
async function peerToNode(language: Language, list: ReturnType<typeof entries>, options: PeerOptions = {}): Promise<void> {
  const channel = ShmChannel.create(testName('from'), { ringBytes: RING });
  try {
    const peer = startPeer(language, 'send', channel.name, specOf(list), options);
    const run = finished(peer);
    await nodeReceive(channel, list);
    const report = await peerReport(peer, run);
    expect(report.run.stderr).toBe('');
    expect(report, report.error).toMatchObject({ ok: true });
  } finally {
    channel.close();
  }
}

const python = itWhere(pythonProblem(true));
const pythonBare = itWhere(pythonProblem(false));
const c = itWhere(cProblem());
const noNumpy = { env: { IPCLAB_PYTHON_NO_NUMPY: '1' } };
// The zero-copy and into calls take bytes and typed arrays (JSON and V8 values are for receive()).
const plain = entries(NODE_KINDS.filter((kind) => kind < 13), { chunked: false });

describe('Node -> Python', () => {
  python('every kind, received with receive()', () => nodeToPeer('python'));
  python('with receive_many()', () => nodeToPeer('python', entries(NODE_KINDS), { api: 'many' }));
  python('with try_receive()', () => nodeToPeer('python', entries(NODE_KINDS), { api: 'try' }));
  python('with receive_in_place() and release()', () => nodeToPeer('python', plain, { api: 'in-place' }));
  python('with receive_into()', () => nodeToPeer('python', entries([0, 2, 6, 9]), { api: 'into' }));
  pythonBare('without numpy: typed kinds as array.array', () => nodeToPeer('python', entries(NODE_KINDS), noNumpy));
});

describe('Python -> Node', () => {
  python('every kind Python sends, with send()', () => peerToNode('python', entries(PYTHON_KINDS)));
  python('with send_many()', () => peerToNode('python', entries(PYTHON_KINDS.filter((kind) => kind !== 13)), { api: 'many' }));
  python('with reserve() and commit()', () => peerToNode('python', entries(PYTHON_KINDS.filter((kind) => kind !== 13)), { api: 'reserve' }));
  python('with try_send()', () => peerToNode('python', entries(PYTHON_KINDS), { api: 'try' }));
  pythonBare('without numpy: array.array in', () => peerToNode('python', entries(PYTHON_KINDS), noNumpy));
});

describe('Node <-> C', () => {
  c('Node -> C: every kind', () => nodeToPeer('c'));
  c('C -> Node: every kind', () => peerToNode('c', entries(C_KINDS)));
});

describe('Python -> Python', () => {
  python('every kind Python sends', async () => {
    const list = entries(PYTHON_KINDS);
    // This process creates the channel and holds no role; the two Python processes open it.
    const channel = ShmChannel.create(testName('py'), { ringBytes: RING });
    try {
      const receiver = startPeer('python', 'receive', channel.name, specOf(list));
      const sender = startPeer('python', 'send', channel.name, specOf(list));
      const [received, sent] = await Promise.all([peerReport(receiver), peerReport(sender)]);
      expect(sent).toMatchObject({ ok: true });
      expect(received).toMatchObject({ ok: true, messages: list.length, numpy: true });
    } finally {
      channel.close();
    }
  });
});
