// Writing and reading frames over Node streams: with backpressure, encoding on while libuv writes,
// and the bytes after a frame left on the stream for whoever reads next.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

import type { CodecId } from '../ids.js';
import { noMark, type Mark, type Payload } from '../side.js';
import { encodeBody, type BodyInfo } from './bodies.js';
import { FrameDecoder, frameGroups } from './frame.js';

/** The writer waits for 'drain' only once this much is queued, and otherwise keeps encoding. */
const WRITE_QUEUE_BYTES = 16 << 20;

/** Rejects when the stream fails or closes; `dispose` stops listening. */
function streamFailure(stream: Writable | Readable, what: string): { failed: Promise<never>; dispose(): void } {
  let reject: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, rejectWith) => {
    reject = rejectWith;
  });
  failed.catch(() => undefined); // observed through Promise.race only
  const onError = (error: Error) => reject(error);
  const onClose = () => reject(new Error(`the ${what} closed before the frame was complete`));
  stream.on('error', onError);
  stream.on('close', onClose);
  return {
    failed,
    dispose() {
      stream.off('error', onError);
      stream.off('close', onClose);
    },
  };
}

/**
 * Writes `payload` as one frame. Marks cast/encode (see encodeBody) and `handoff` before the first
 * byte is written; resolves when every byte has been handed to the kernel (the last write's callback).
 */
export async function writeFrame(stream: Writable, payload: Payload, codec: CodecId, mark: Mark = noMark): Promise<void> {
  const body = encodeBody(payload, codec, mark);
  mark('handoff');
  await writeGroups(stream, frameGroups(body), 'stream');
}

async function writeGroups(stream: Writable, groups: Iterable<Uint8Array[]>, what: string): Promise<void> {
  const failure = streamFailure(stream, what);
  try {
    let lastWrite: Promise<void> = Promise.resolve();
    for (const group of groups) {
      if (group.length > 1) stream.cork();
      for (const piece of group) {
        lastWrite = new Promise<void>((resolve, reject) => {
          stream.write(piece, (error) => (error ? reject(error) : resolve()));
        });
        lastWrite.catch(() => undefined); // reported through 'error' / the final await
      }
      if (group.length > 1) stream.uncork();
      if (stream.writableLength > WRITE_QUEUE_BYTES) {
        await Promise.race([once(stream, 'drain'), failure.failed]);
      } else if (stream.writableLength > 0) {
        await Promise.race([nextTurn(), failure.failed]); // lets libuv write while we encode on
      }
    }
    await Promise.race([lastWrite, failure.failed]);
  } finally {
    failure.dispose();
  }
}

/**
 * Reads one frame from `stream` and decodes it. Marks firstByte, received, decodeStart/decodeEnd.
 * Bytes after the frame are put back on the stream (`unshift`); the stream is paused afterwards.
 */
export async function readFrame(stream: Readable, mark: Mark = noMark, what = 'stream'): Promise<Payload> {
  return (await readFrameWithInfo(stream, mark, what)).value;
}

/** readFrame, also telling what the frame's header said. */
export async function readFrameWithInfo(stream: Readable, mark: Mark = noMark, what = 'stream'): Promise<{ value: Payload; info: BodyInfo }> {
  const decoder = new FrameDecoder(mark);
  const failure = streamFailure(stream, what);
  let onData: (chunk: Buffer) => void = () => undefined;
  let onEnd: () => void = () => undefined;
  try {
    await Promise.race([
      failure.failed,
      new Promise<void>((resolve, reject) => {
        onEnd = () => reject(new Error(`the ${what} ended after ${decoder.bytesRead} bytes, before the frame was complete`));
        onData = (chunk) => {
          try {
            const used = decoder.push(chunk);
            if (!decoder.complete) return;
            stream.pause();
            if (used < chunk.byteLength) stream.unshift(chunk.subarray(used));
            resolve();
          } catch (error) {
            reject(error as Error);
          }
        };
        stream.on('end', onEnd);
        stream.on('data', onData);
        stream.resume(); // also after an earlier pause() or 'readable' listener
      }),
    ]);
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    failure.dispose();
    stream.pause();
  }
  return { value: decoder.finish(), info: decoder.info! };
}
