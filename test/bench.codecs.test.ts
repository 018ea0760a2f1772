// The byte codecs and the frame every byte transport shares: streamed JSON, v8, raw.
import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { encodeBody } from '../src/bench/codecs/bodies.js';
import { decodeFrame, FRAME_HEADER_BYTES, frameGroups, FrameDecoder } from '../src/bench/codecs/frame.js';
import { encodeJsonChunks, JsonBodyDecoder } from '../src/bench/codecs/json.js';
import { readFrame, writeFrame } from '../src/bench/codecs/streams.js';
import { CHUNK_HEADER_BYTES, chunkHeader, ChunkReader } from '../src/bench/framing.js';
import { buildPayload } from '../src/bench/payload.js';
import type { CodecId, PayloadId } from '../src/bench/ids.js';
import type { MarkName, Payload } from '../src/bench/side.js';

const text = (chunks: Iterable<Uint8Array>) => Buffer.concat([...chunks]).toString('utf8');
const bytes = (value: string) => Buffer.from(value, 'utf8');

function decodeJson(pieces: string[], payload: PayloadId, elements: number): Payload {
  const decoder = new JsonBodyDecoder({ payload, elements });
  for (const piece of pieces) decoder.write(bytes(piece));
  return decoder.finish();
}

/** The whole frame of `payload` as one buffer. */
function frameOf(payload: Payload, codec: CodecId): Buffer {
  return Buffer.concat([...frameGroups(encodeBody(payload, codec))].flat());
}

describe('JSON encoding', () => {
  it('writes what JSON.stringify writes for an array of numbers', () => {
    const values = [0, 7, -3, 10, 99, 2147483647, -2147483648, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1.5, -0, 1e21, 1e-7, NaN, Infinity];
    expect(text(encodeJsonChunks(values))).toBe(JSON.stringify(values));
  });

  it('writes a typed array as a JSON array', () => {
    expect(text(encodeJsonChunks(Int32Array.of(1, -2, 3)))).toBe('[1,-2,3]');
    expect(text(encodeJsonChunks(Float64Array.of(0.25, 4)))).toBe('[0.25,4]');
    expect(text(encodeJsonChunks([]))).toBe('[]');
  });

  it('splits long output into chunks of about the size asked for', () => {
    const values = buildPayload('array', 10_000);
    const chunks = [...encodeJsonChunks(values, 1024)];
    expect(chunks.length).toBeGreaterThan(40);
    for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(1024);
    expect(text(chunks)).toBe(JSON.stringify(values));
  });

  it('writes a general array element that is not a number as JSON', () => {
    const values = [1, 'two', { three: 3 }, undefined, 'x'.repeat(100)] as unknown as number[];
    expect(text(encodeJsonChunks(values, 64))).toBe(JSON.stringify(values));
  });
});

describe('JSON decoding', () => {
  it('reads a number split across chunk boundaries', () => {
    expect(decodeJson(['[123', '45,6', '78]'], 'array', 2)).toEqual([12345, 678]);
    expect(decodeJson(['[-', '1', '2,', '-', '0.', '5e', '+1]'], 'float64', 2)).toEqual(Float64Array.of(-12, -5));
  });

  it('round-trips every payload kind fed one byte at a time', () => {
    for (const payload of ['array', 'int32', 'float64'] as PayloadId[]) {
      const values = buildPayload(payload, 1000);
      const json = text(encodeJsonChunks(values));
      expect(decodeJson([...json], payload, 1000)).toEqual(values);
    }
  });

  it('reads fractions, exponents, long integers and whitespace as JSON.parse does', () => {
    const json = ' [ 1.5 , -2e3,1E-7,\n123456789012345678, 9007199254740993, -0, 0.1 ] ';
    expect(decodeJson([json], 'array', 7)).toEqual(JSON.parse(json));
  });

  it('names the byte and the position of what it cannot read', () => {
    expect(() => decodeJson(['[1,,2]'], 'array', 2)).toThrow("unexpected ',' at byte 3");
    expect(() => decodeJson(['[1', ' 2]'], 'array', 2)).toThrow("unexpected '2' at byte 3"); // across pieces
    expect(() => decodeJson(['[1,null]'], 'array', 2)).toThrow("unexpected 'n' at byte 3");
    expect(() => decodeJson(['[1e]'], 'array', 1)).toThrow('bad number "1e"');
    expect(() => decodeJson(['[1,2'], 'array', 2)).toThrow('ended after 4 bytes');
  });

  it('holds the element count its frame declared', () => {
    expect(() => decodeJson(['[1,2,3]'], 'int32', 2)).toThrow('more than the 2 elements');
    expect(() => decodeJson(['[1]'], 'int32', 2)).toThrow('has 1 elements');
  });
});

describe('frames', () => {
  const combinations = (['array', 'int32', 'float64'] as PayloadId[]).flatMap((payload) =>
    (['json', 'v8', 'raw'] as CodecId[]).map((codec) => ({ payload, codec })),
  );

  it.each(combinations)('round-trip $payload as $codec in pieces of any size', ({ payload, codec }) => {
    const values = buildPayload(payload, 5000);
    const frame = frameOf(values, codec);
    for (const pieceBytes of [1, 7, 4096, frame.byteLength]) {
      const decoder = new FrameDecoder();
      for (let start = 0; start < frame.byteLength; start += pieceBytes) decoder.push(frame.subarray(start, start + pieceBytes));
      expect(decoder.complete).toBe(true);
      expect(decoder.finish()).toEqual(values);
    }
  });

  it('keep raw data 8-byte aligned, so a whole frame in memory decodes without a copy', () => {
    const frame = frameOf(buildPayload('float64', 100), 'raw');
    const decoded = decodeFrame(frame) as Float64Array;
    expect(decoded.buffer).toBe(frame.buffer);
    expect(decoded.byteOffset).toBe(frame.byteOffset + FRAME_HEADER_BYTES + CHUNK_HEADER_BYTES);
  });

  it('leave the bytes after a frame to the caller', () => {
    const frame = frameOf(Int32Array.of(1, 2), 'raw');
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.concat([frame, bytes('next')]))).toBe(frame.byteLength);
  });

  it('refuse bytes that are not a frame, and frames cut short', () => {
    expect(() => decodeFrame(Buffer.alloc(40, 0x21))).toThrow('not an ipclab frame');
    const frame = frameOf(Int32Array.of(1, 2), 'raw');
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 1))).toThrow(`incomplete after ${frame.byteLength - 1} bytes`);
  });

  it('go through a stream with the marks in order', async () => {
    const stream = new PassThrough();
    const marks: MarkName[] = [];
    const mark = (name: MarkName) => {
      if (!marks.includes(name)) marks.push(name);
    };
    const received = readFrame(stream, mark);
    await writeFrame(stream, buildPayload('array', 20_000), 'v8', mark);
    expect(await received).toEqual(buildPayload('array', 20_000));
    expect(marks).toEqual(['encodeStart', 'encodeEnd', 'handoff', 'firstByte', 'received', 'decodeStart', 'decodeEnd']);
  });

  it('end in an error that says how far a stream got when it ends early', async () => {
    const stream = new PassThrough();
    const received = readFrame(stream, undefined, 'pipe');
    stream.end(frameOf(Int32Array.of(1, 2, 3), 'raw').subarray(0, 20));
    await expect(received).rejects.toThrow('the pipe ended after 20 bytes');
  });
});

describe('chunks, the one framing of every byte stream', () => {
  it('come out whole however the bytes are split, empty ones too, their data never copied', () => {
    const messages = [bytes('one'), bytes(''), bytes('three, a longer one'), bytes('4')];
    const stream = Buffer.concat(messages.flatMap((message) => [chunkHeader(message.byteLength), message]));
    for (const pieceBytes of [1, 3, 8, 11, stream.byteLength]) {
      const reader = new ChunkReader();
      const received: string[] = [];
      let pieces: Uint8Array[] = [];
      const handler = {
        data: (piece: Uint8Array) => {
          expect(piece.buffer).toBe(stream.buffer);
          pieces.push(piece);
        },
        end: () => {
          received.push(Buffer.concat(pieces).toString('utf8'));
          pieces = [];
          return false;
        },
      };
      for (let start = 0; start < stream.byteLength; start += pieceBytes) {
        const piece = stream.subarray(start, start + pieceBytes);
        expect(reader.read(piece, 0, handler)).toBe(piece.byteLength);
      }
      expect(received, `pieces of ${pieceBytes} bytes`).toEqual(['one', '', 'three, a longer one', '4']);
    }
  });

  it('stop where the handler says, leaving the rest to the caller', () => {
    const stream = Buffer.concat([chunkHeader(2), bytes('ab'), chunkHeader(0), bytes('next')]);
    const reader = new ChunkReader();
    const used = reader.read(stream, 0, { data: () => undefined, end: (byteLength) => byteLength === 0 });
    expect(stream.subarray(used).toString('utf8')).toBe('next');
  });
});
