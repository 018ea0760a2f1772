// Python's Pipe: one frame (codecs/frame.ts) through an OS pipe, the forked receiver's stdin.
import { releaseChild } from '../child-exit.js';
import { readFrame, writeFrame } from '../codecs/streams.js';
import type { Transport } from '../side.js';
import { framedTraits } from './framed.js';

export const pipeTransport: Transport = {
  ...framedTraits,
  id: 'pipe',
  standsFor: 'Pipe',
  mechanism: "an OS pipe: the forked receiver's stdin (child_process.fork with stdio 'pipe')",
  topology: 'parent-child',
  limits: [
    ...framedTraits.limits,
    'The pipe holds 64 KiB (the Linux default; Node has no F_SETPIPE_SZ), so the bytes cross in 64 KiB steps, each a wake-up on both sides.',
  ],

  async openReceiver(ctx) {
    const input = process.stdin;
    return {
      receive: () => readFrame(input, ctx.mark, 'pipe'),
      close() {
        input.destroy();
      },
    };
  },

  async openSender(ctx) {
    const child = ctx.spawnReceiver({ stdio: ['pipe', 'inherit', 'inherit', 'ipc'] });
    const input = child.stdin!;
    input.on('error', () => undefined); // a failed write rejects send() with this error
    let delivered = false;
    return {
      async send(payload) {
        await writeFrame(input, payload, ctx.spec.codec, ctx.mark);
        delivered = true;
      },
      async close() {
        input.end();
        await releaseChild(child, delivered);
      },
    };
  },
};
