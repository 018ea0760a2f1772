// What every transport that carries one frame (codecs/frame.ts) has in common: the payloads and
// codecs it takes, and the limits that come from the codecs.
import { PAYLOAD_IDS } from '../ids.js';
import type { CaseSpec, Transport } from '../side.js';
import { castCopies, int32Limit } from './wire.js';

export const framedTraits = {
  payloads: PAYLOAD_IDS,
  codecs: ['json', 'v8', 'raw'],
  constraint: 'numbers (json, raw) or structured-cloneable (v8)',
  limits: [
    'json is streamed in 1 MiB chunks and parsed digit by digit into the target array, so it works past V8’s string limit; it carries arrays of numbers only.',
    'v8 holds the whole serialized payload in one buffer on each side.',
    'raw carries a JS Array as int32 when every value is one, else as float64 (never altered): the sender casts it, the receiver rebuilds a JS Array.',
  ],
  unsupported: (spec: CaseSpec) => (spec.codec === 'raw' ? int32Limit(spec) : undefined),
  /** Written into a kernel buffer or file and read out of it, plus a raw Array's cast and rebuild. */
  copies: (spec: CaseSpec) => 2 + castCopies(spec),
} satisfies Pick<Transport, 'payloads' | 'codecs' | 'constraint' | 'limits' | 'unsupported' | 'copies'>;
