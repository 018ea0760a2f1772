// Python's File row: the sender writes one frame (codecs/frame.ts) to a file, then raises a completion
// flag (a second, small file, renamed into place so it appears whole); the receiver wakes on the
// flag and reads the file back. file-tmp writes under os.tmpdir() (disk), file-shm on /dev/shm.
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';

import { decodeFrame } from '../codecs/frame.js';
import { writeFrame } from '../codecs/streams.js';
import { waitForFile, writeFileAtomically } from '../file-flags.js';
import type { TransportId } from '../ids.js';
import type { SideContext, Transport } from '../side.js';
import { framedTraits } from './framed.js';

/** Largest single read (Node reads at most 2 GiB per call). */
const MAX_READ_BYTES = 2 ** 30;

/** A whole file in one fresh buffer, read with as few calls as Node allows. */
export async function readWholeFile(filePath: string): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, Math.min(size - filled, MAX_READ_BYTES), filled);
      if (bytesRead === 0) throw new Error(`${filePath} ended at ${filled} of ${size} bytes`);
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

const DATA_FILE = 'payload.frame';
const FLAG_FILE = 'payload.done';

function fileTransport(id: Extract<TransportId, 'file-tmp' | 'file-shm'>): Transport {
  const onShm = id === 'file-shm';
  const directory = (ctx: SideContext) => (onShm ? ctx.shmDir : ctx.caseDir);
  const dataPath = (ctx: SideContext) => path.join(directory(ctx), DATA_FILE);
  const flagPath = (ctx: SideContext) => path.join(directory(ctx), FLAG_FILE);

  return {
    ...framedTraits,
    id,
    standsFor: 'File',
    mechanism: onShm
      ? 'a file on /dev/shm (tmpfs), then a flag file renamed into place; the receiver watches for it'
      : 'a file under os.tmpdir(), then a flag file renamed into place; the receiver watches for it',
    topology: 'pair',
    constraint: `${framedTraits.constraint}, completion flag needed`,
    limits: [
      ...framedTraits.limits,
      'The receiver reads the whole file into one buffer before decoding.',
      onShm ? 'The file takes RAM on /dev/shm until the receiver removes it.' : 'The file goes through the page cache; it is not synced to disk.',
    ],

    async openReceiver(ctx) {
      const flag = waitForFile(flagPath(ctx));
      return {
        async receive() {
          await flag.appeared;
          ctx.mark('firstByte'); // the wake-up
          const bytes = await readWholeFile(dataPath(ctx));
          ctx.mark('received');
          return decodeFrame(bytes, ctx.mark);
        },
        async close() {
          flag.close();
          await Promise.all([rm(dataPath(ctx), { force: true }), rm(flagPath(ctx), { force: true })]);
        },
      };
    },

    async openSender(ctx) {
      return {
        async send(payload) {
          const file = createWriteStream(dataPath(ctx), { flags: 'wx' });
          try {
            await writeFrame(file, payload, ctx.spec.codec, ctx.mark);
          } finally {
            await new Promise<void>((resolve) => file.close(() => resolve()));
          }
          await writeFileAtomically(flagPath(ctx), 'done');
        },
        close() {},
      };
    },
  };
}

export const fileTmpTransport = fileTransport('file-tmp');
export const fileShmTransport = fileTransport('file-shm');
