// The frame every byte transport carries a payload in: a 32-byte header, then the body as chunks
// (framing.ts), and an empty chunk that ends it.
//
//   header (32 bytes): magic "IPCL", version, codec, payload kind, element type, elements, body bytes (-1: unknown)
//   chunk  (8 bytes + data): u32 data length, u32 zero (keeps the data 8-byte aligned), data
//   end    (8 bytes): a chunk of length 0
import { chunkHeader, ChunkReader, FixedBytes, MAX_CHUNK_BYTES } from '../framing.js';
import type { CodecId, PayloadId } from '../ids.js';
import { noMark, type Mark, type Payload } from '../side.js';
import { createBodyDecoder, type BodyDecoder, type BodyInfo, type EncodedBody } from './bodies.js';

export const FRAME_MAGIC = 0x4c435049; // "IPCL" read as a little-endian u32
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 32;
const HEADER_MAGIC_OFFSET = 0; // u32
const HEADER_VERSION_OFFSET = 4; // u8
const HEADER_CODEC_OFFSET = 5; // u8, see CODEC_CODES
const HEADER_PAYLOAD_OFFSET = 6; // u8, see PAYLOAD_CODES
const HEADER_WIRE_OFFSET = 7; // u8, a raw body's element type: 1 + index in WIRE_CODES; 0 for json and v8
const HEADER_ELEMENTS_OFFSET = 8; // f64
const HEADER_BODY_BYTES_OFFSET = 16; // f64, UNKNOWN_BODY_BYTES when streamed
const UNKNOWN_BODY_BYTES = -1;

/** The byte each codec is written as (pickle is Python's own, never in a frame). */
const CODEC_CODES: Readonly<Partial<Record<CodecId, number>>> = { json: 0, v8: 1, raw: 2 };
/** The byte each payload kind is written as (a frame names any JS Array `array`). */
const PAYLOAD_CODES: Readonly<Record<PayloadId, number>> = { array: 0, int32: 1, float64: 2, mixed: 3 };
/** A raw body's element type is written as 1 + its index here; 0 for json and v8. */
const WIRE_CODES = [Int32Array, Float64Array] as const;

/** The key of `codes` written as `code`, if any. */
function decode<K extends string>(codes: Readonly<Partial<Record<K, number>>>, code: number): K | undefined {
  return (Object.keys(codes) as K[]).find((key) => codes[key] === code);
}

function frameHeader(body: EncodedBody): Uint8Array {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32LE(FRAME_MAGIC, HEADER_MAGIC_OFFSET);
  header.writeUInt8(FRAME_VERSION, HEADER_VERSION_OFFSET);
  header.writeUInt8(CODEC_CODES[body.codec]!, HEADER_CODEC_OFFSET);
  header.writeUInt8(PAYLOAD_CODES[body.payload], HEADER_PAYLOAD_OFFSET);
  header.writeUInt8(body.wire === undefined ? 0 : 1 + WIRE_CODES.indexOf(body.wire), HEADER_WIRE_OFFSET);
  header.writeDoubleLE(body.elements, HEADER_ELEMENTS_OFFSET);
  header.writeDoubleLE(body.byteLength ?? UNKNOWN_BODY_BYTES, HEADER_BODY_BYTES_OFFSET);
  return header;
}

/** A frame as groups of pieces; the pieces of one group are best written together (writev). */
export function* frameGroups(body: EncodedBody): Generator<Uint8Array[]> {
  yield [frameHeader(body)];
  for (const chunk of body.chunks) {
    for (let start = 0; start < chunk.byteLength; start += MAX_CHUNK_BYTES) {
      const piece = chunk.subarray(start, Math.min(chunk.byteLength, start + MAX_CHUNK_BYTES));
      yield [chunkHeader(piece.byteLength), piece];
    }
  }
  yield [chunkHeader(0)];
}

function parseFrameHeader(header: Buffer): BodyInfo {
  const magic = header.readUInt32LE(HEADER_MAGIC_OFFSET);
  if (magic !== FRAME_MAGIC) throw new Error(`not an ipclab frame: magic 0x${magic.toString(16)}, expected 0x${FRAME_MAGIC.toString(16)}`);
  const version = header.readUInt8(HEADER_VERSION_OFFSET);
  if (version !== FRAME_VERSION) throw new Error(`unsupported frame version ${version}, expected ${FRAME_VERSION}`);
  const codec = decode(CODEC_CODES, header.readUInt8(HEADER_CODEC_OFFSET));
  const payload = decode(PAYLOAD_CODES, header.readUInt8(HEADER_PAYLOAD_OFFSET));
  if (!codec || !payload) throw new Error(`bad frame header: codec code ${header[HEADER_CODEC_OFFSET]}, payload code ${header[HEADER_PAYLOAD_OFFSET]}`);
  const wireCode = header.readUInt8(HEADER_WIRE_OFFSET);
  const wire = wireCode === 0 ? undefined : WIRE_CODES[wireCode - 1];
  if ((codec === 'raw') !== (wire !== undefined)) throw new Error(`bad frame header: element type code ${wireCode} for a ${codec} body`);
  const elements = header.readDoubleLE(HEADER_ELEMENTS_OFFSET);
  const bodyBytes = header.readDoubleLE(HEADER_BODY_BYTES_OFFSET);
  if (!Number.isSafeInteger(elements) || elements < 0) throw new Error(`bad frame header: ${elements} elements`);
  if (bodyBytes !== UNKNOWN_BODY_BYTES && (!Number.isSafeInteger(bodyBytes) || bodyBytes < 0)) {
    throw new Error(`bad frame header: body of ${bodyBytes} bytes`);
  }
  return { codec, payload, elements, byteLength: bodyBytes === UNKNOWN_BODY_BYTES ? undefined : bodyBytes, ...(wire ? { wire } : {}) };
}

/**
 * Decodes one frame pushed in pieces of any size. `push` returns how many of the bytes belong to
 * the frame; once `complete`, `finish()` returns the payload.
 */
export class FrameDecoder {
  complete = false;
  bytesRead = 0;
  #info: BodyInfo | undefined;
  readonly #header = new FixedBytes(FRAME_HEADER_BYTES);
  readonly #chunks = new ChunkReader();
  #body: BodyDecoder | undefined;
  readonly #mark: Mark;

  constructor(mark: Mark = noMark) {
    this.#mark = mark;
  }

  get info(): BodyInfo | undefined {
    return this.#info;
  }

  push(bytes: Uint8Array): number {
    if (bytes.byteLength > 0) this.#mark('firstByte');
    let offset = 0;
    if (!this.#header.full) {
      offset += this.#header.take(bytes, offset);
      if (!this.#header.full) return this.#read(offset);
      this.#info = parseFrameHeader(this.#header.bytes);
      this.#body = createBodyDecoder(this.#info, this.#mark);
    }
    if (!this.complete) {
      const body = this.#body!;
      offset = this.#chunks.read(bytes, offset, {
        data: (piece) => body.write(piece),
        end: (byteLength) => {
          if (byteLength > 0) return false;
          this.complete = true;
          this.#mark('received');
          return true;
        },
      });
    }
    return this.#read(offset);
  }

  #read(bytes: number): number {
    this.bytesRead += bytes;
    return bytes;
  }

  finish(): Payload {
    if (!this.complete) throw new Error(`the frame is incomplete after ${this.bytesRead} bytes`);
    return this.#body!.finish();
  }
}

/** Decodes a whole frame held in memory (a file read back). */
export function decodeFrame(bytes: Uint8Array, mark: Mark = noMark): Payload {
  const decoder = new FrameDecoder(mark);
  const used = decoder.push(bytes);
  if (decoder.complete && used !== bytes.byteLength) {
    throw new Error(`${bytes.byteLength - used} unexpected bytes after the frame`);
  }
  return decoder.finish();
}
