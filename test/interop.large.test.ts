// 10^7 int32 (40 MB, one message streamed through a 4 MiB ring in chunks) across languages, every
// byte checked on arrival. 10^8 takes GBs of memory across the processes: it is measured by hand
// (README, "Python and C").
import { describe } from 'vitest';

import { nodeToPeer, peerToNode, peerToPeer, type Entry } from './support/interop.js';
import { cCompiler, itRequiring, numpy } from './support/requirements.js';

const LARGE: Entry[] = [[6, 4e7]];
const options = { ringBytes: 4 * 1024 * 1024 };
const python = itRequiring(numpy);
const c = itRequiring(cCompiler);

describe('10^7 int32 in one message', () => {
  python('Node -> Python', () => nodeToPeer('python', LARGE, options));
  python('Python -> Node', () => peerToNode('python', LARGE, options));
  c('Node -> C', () => nodeToPeer('c', LARGE, options));
  c('C -> Node', () => peerToNode('c', LARGE, options));
  python('Python -> Python', () => peerToPeer('python', 'python', LARGE, options));
});
