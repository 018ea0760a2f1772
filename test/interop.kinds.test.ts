// Every kind across languages over one ShmChannel: Node -> Python, Python -> Node, Node -> C,
// C -> Node and Python -> Python, small messages, an empty one and one sent in chunks. Each side
// checks the type it rebuilds (numpy dtype or array.array, typed array, bytes, JSON value) and
// every byte; Python turns Node's sendValue (kind 100) into an IpcError naming the kind.
import { describe } from 'vitest';

import {
  C_KINDS,
  entries,
  NODE_KINDS,
  nodeToPeer,
  peerToNode,
  peerToPeer,
  PYTHON_KINDS,
} from './support/interop.js';
import { cCompiler, itRequiring, numpy, python as pythonRequirement } from './support/requirements.js';

const python = itRequiring(numpy);
const pythonBare = itRequiring(pythonRequirement);
const c = itRequiring(cCompiler);
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
  python('every kind Python sends', () => peerToPeer('python', 'python', entries(PYTHON_KINDS)));
});
