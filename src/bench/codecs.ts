// Payloads as bytes, shared by every byte transport: the three codecs (streamed JSON, V8
// serialization, raw typed-array bytes), one self-describing frame around them, and writing /
// reading a frame over a Node stream with backpressure.
//
// A frame is a header followed by length-prefixed chunks and an empty chunk that ends it:
//
//   header (32 bytes): magic "IPCL", version, codec, payload kind, elements, body bytes (-1: unknown)
//   chunk  (8 bytes + data): u32 data length, u32 zero (keeps the data 8-byte aligned), data
//   end    (8 bytes): a chunk of length 0
//
// JSON is encoded in chunks of digits straight into Buffers and decoded by a digit parser straight
// into the target array, so no string ever approaches V8's 536,870,888-character limit.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';

import { ArrayAssembler, castToTyped, hasKind, isJsArrayPayload, rawWireType, typedConstructorOf, typedToArray, type WireType } from './payload.js';
import type { CodecId, PayloadId } from './ids.js';
import type { MarkName, Payload } from './side.js';

export type Mark = (name: MarkName) => void;
const noMark: Mark = () => undefined;

export const FRAME_MAGIC = 0x4c435049; // "IPCL" read as a little-endian u32
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 32;
const HEADER_MAGIC_OFFSET = 0; // u32
const HEADER_VERSION_OFFSET = 4; // u8
const HEADER_CODEC_OFFSET = 5; // u8, index in CODEC_CODES
const HEADER_PAYLOAD_OFFSET = 6; // u8, index in PAYLOAD_CODES
const HEADER_WIRE_OFFSET = 7; // u8, a raw body's element type: 1 + index in WIRE_CODES; 0 for json and v8
const HEADER_ELEMENTS_OFFSET = 8; // f64
const HEADER_BODY_BYTES_OFFSET = 16; // f64, UNKNOWN_BODY_BYTES when streamed
const UNKNOWN_BODY_BYTES = -1;
export const CHUNK_HEADER_BYTES = 8;
/** Larger bodies are split: a chunk's length is a u32. */
const MAX_CHUNK_BYTES = 2 ** 30;
/** Size of each Buffer the JSON encoder fills. */
export const JSON_CHUNK_BYTES = 1 << 20;
/** The writer waits for 'drain' only once this much is queued, and otherwise keeps encoding. */
const WRITE_QUEUE_BYTES = 16 << 20;

const CODEC_CODES: readonly CodecId[] = ['json', 'v8', 'raw'];
const PAYLOAD_CODES: readonly PayloadId[] = ['array', 'int32', 'float64', 'mixed'];
const WIRE_CODES = [Int32Array, Float64Array] as const;

/** The payload kind a frame names: `array` for any JS Array (`mixed` too), else the typed array's own. */
export function payloadKindOf(payload: Payload): PayloadId {
  if (Array.isArray(payload)) return 'array';
  if (payload instanceof Int32Array) return 'int32';
  if (payload instanceof Float64Array) return 'float64';
  throw new TypeError(`cannot encode a ${(payload as object)?.constructor?.name ?? typeof payload}: expected an Array, Int32Array or Float64Array`);
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** What a frame's header says about its body. */
export interface FrameInfo {
  codec: CodecId;
  payload: PayloadId;
  elements: number;
  /** Body bytes; undefined while unknown (streamed JSON). */
  byteLength: number | undefined;
  /** raw only: the element type of the body (a JS Array travels as int32 when every value is one, else float64). */
  wire?: WireType;
}

/** A payload turned into body bytes, possibly lazily (JSON). */
export interface EncodedBody extends FrameInfo {
  chunks: Iterable<Uint8Array>;
}

export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * The body of `payload` in `codec`. Marks castStart/castEnd (raw of a JS Array: it travels as int32 when
 * every value is one, else as float64)
 * and encodeStart/encodeEnd (v8). JSON is encoded while the chunks are consumed.
 */
export function encodeBody(payload: Payload, codec: CodecId, mark: Mark = noMark): EncodedBody {
  const kind = payloadKindOf(payload);
  const base = { codec, payload: kind, elements: payload.length };
  switch (codec) {
    case 'raw': {
      let typed: Int32Array | Float64Array;
      if (Array.isArray(payload)) {
        mark('castStart');
        typed = castToTyped(payload, rawWireType(payload));
        mark('castEnd');
      } else {
        typed = payload;
      }
      const wire = typed instanceof Float64Array ? Float64Array : Int32Array;
      return { ...base, byteLength: typed.byteLength, wire, chunks: [bytesOf(typed)] };
    }
    case 'v8': {
      mark('encodeStart');
      const bytes = serialize(payload);
      mark('encodeEnd');
      return { ...base, byteLength: bytes.byteLength, chunks: [bytes] };
    }
    case 'json':
      return { ...base, byteLength: undefined, chunks: encodeJsonChunks(payload) };
    case 'pickle':
      throw pythonOnly(codec);
  }
}

/** pickle is the Python transports' codec; no Node side encodes or decodes it. */
function pythonOnly(codec: CodecId): RangeError {
  return new RangeError(`the ${codec} codec is Python's (py-* transports); Node frames carry json, v8 or raw`);
}

const enum Char {
  Tab = 0x09,
  LineFeed = 0x0a,
  CarriageReturn = 0x0d,
  Space = 0x20,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  LowerE = 0x65,
}

/** Longest number text written in place ("-1.7976931348623157e+308" is 24). */
const MAX_NUMBER_CHARS = 32;

/** Writes a safe integer's decimal digits at `position`; returns the position after them. */
function writeInteger(target: Buffer, position: number, value: number): number {
  if (value < 0) {
    target[position++] = Char.Minus;
    value = -value;
  }
  if (value <= INT32_MAX) return writeDigits(target, position, value | 0, 1);
  const high = Math.floor(value / 1e9); // below 2^31, as value is below 2^53
  position = writeDigits(target, position, high, 1);
  return writeDigits(target, position, value - high * 1e9, 9);
}

const INT32_MAX = 0x7fffffff;

/** The digits of 0 <= value < 2^31, zero-padded to at least `minDigits`, in int32 arithmetic. */
function writeDigits(target: Buffer, position: number, value: number, minDigits: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
  const end = position + Math.max(digits, minDigits);
  for (let cursor = end; cursor > position; ) {
    const quotient = (value / 10) | 0;
    target[--cursor] = Char.Zero + (value - quotient * 10);
    value = quotient;
  }
  return end;
}

/** JSON text of one array element, for anything that is not a safe integer. */
function elementJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null'; // as JSON.stringify writes undefined / functions in arrays
}

/** The elements as a JSON array, in Buffers of about `chunkBytes`, never as one string. */
export function* encodeJsonChunks(values: ArrayLike<unknown>, chunkBytes = JSON_CHUNK_BYTES): Generator<Uint8Array> {
  const size = Math.max(chunkBytes, 2 * MAX_NUMBER_CHARS);
  let chunk = Buffer.allocUnsafe(size);
  let position = 0;
  chunk[position++] = Char.OpenBracket;
  const length = values.length;
  for (let i = 0; i < length; i++) {
    if (position > size - MAX_NUMBER_CHARS - 2) {
      yield chunk.subarray(0, position);
      chunk = Buffer.allocUnsafe(size);
      position = 0;
    }
    if (i > 0) chunk[position++] = Char.Comma;
    const value = values[i];
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      position = writeInteger(chunk, position, value);
      continue;
    }
    const text = elementJson(value);
    if (text.length <= MAX_NUMBER_CHARS) {
      position += chunk.write(text, position, 'latin1');
      continue;
    }
    // A long element (a nested value in a general array) goes out as its own piece.
    yield chunk.subarray(0, position);
    yield Buffer.from(text, 'utf8');
    chunk = Buffer.allocUnsafe(size);
    position = 0;
  }
  chunk[position++] = Char.CloseBracket;
  yield chunk.subarray(0, position);
}

function frameHeader(body: EncodedBody): Uint8Array {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32LE(FRAME_MAGIC, HEADER_MAGIC_OFFSET);
  header.writeUInt8(FRAME_VERSION, HEADER_VERSION_OFFSET);
  header.writeUInt8(CODEC_CODES.indexOf(body.codec), HEADER_CODEC_OFFSET);
  header.writeUInt8(PAYLOAD_CODES.indexOf(body.payload), HEADER_PAYLOAD_OFFSET);
  header.writeUInt8(body.wire === undefined ? 0 : 1 + WIRE_CODES.indexOf(body.wire), HEADER_WIRE_OFFSET);
  header.writeDoubleLE(body.elements, HEADER_ELEMENTS_OFFSET);
  header.writeDoubleLE(body.byteLength ?? UNKNOWN_BODY_BYTES, HEADER_BODY_BYTES_OFFSET);
  return header;
}

function chunkHeader(byteLength: number): Uint8Array {
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  header.writeUInt32LE(byteLength, 0);
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

// ---------------------------------------------------------------------------------------------
// Writing and reading frames over streams

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
export async function readFrameWithInfo(stream: Readable, mark: Mark = noMark, what = 'stream'): Promise<{ value: Payload; info: FrameInfo }> {
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

// ---------------------------------------------------------------------------------------------
// Decoding

/** Decodes a body pushed in pieces. */
export interface BodyDecoder {
  write(bytes: Uint8Array): void;
  finish(): Payload;
}

function parseFrameHeader(header: Buffer): FrameInfo {
  const magic = header.readUInt32LE(HEADER_MAGIC_OFFSET);
  if (magic !== FRAME_MAGIC) throw new Error(`not an ipclab frame: magic 0x${magic.toString(16)}, expected 0x${FRAME_MAGIC.toString(16)}`);
  const version = header.readUInt8(HEADER_VERSION_OFFSET);
  if (version !== FRAME_VERSION) throw new Error(`unsupported frame version ${version}, expected ${FRAME_VERSION}`);
  const codec = CODEC_CODES[header.readUInt8(HEADER_CODEC_OFFSET)];
  const payload = PAYLOAD_CODES[header.readUInt8(HEADER_PAYLOAD_OFFSET)];
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

/** A fixed number of bytes that may arrive split across pieces. */
class FixedBytes {
  readonly bytes: Buffer;
  filled = 0;

  constructor(size: number) {
    this.bytes = Buffer.alloc(size);
  }

  get full(): boolean {
    return this.filled === this.bytes.byteLength;
  }

  /** Copies what is still missing from `source` at `offset`; returns how many bytes it took. */
  take(source: Uint8Array, offset: number): number {
    const taken = Math.min(this.bytes.byteLength - this.filled, source.byteLength - offset);
    this.bytes.set(source.subarray(offset, offset + taken), this.filled);
    this.filled += taken;
    return taken;
  }
}

/**
 * Decodes one frame pushed in pieces of any size. `push` returns how many of the bytes belong to
 * the frame; once `complete`, `finish()` returns the payload.
 */
export class FrameDecoder {
  complete = false;
  bytesRead = 0;
  #info: FrameInfo | undefined;
  readonly #header = new FixedBytes(FRAME_HEADER_BYTES);
  readonly #chunkHeader = new FixedBytes(CHUNK_HEADER_BYTES);
  #chunkRemaining = 0;
  #body: BodyDecoder | undefined;
  readonly #mark: Mark;

  constructor(mark: Mark = noMark) {
    this.#mark = mark;
  }

  get info(): FrameInfo | undefined {
    return this.#info;
  }

  push(bytes: Uint8Array): number {
    if (bytes.byteLength > 0) this.#mark('firstByte');
    let offset = 0;
    while (offset < bytes.byteLength && !this.complete) {
      if (!this.#header.full) {
        offset += this.#header.take(bytes, offset);
        if (this.#header.full) {
          this.#info = parseFrameHeader(this.#header.bytes);
          this.#body = createBodyDecoder(this.#info, this.#mark);
        }
      } else if (this.#chunkRemaining > 0) {
        const taken = Math.min(this.#chunkRemaining, bytes.byteLength - offset);
        this.#body!.write(bytes.subarray(offset, offset + taken));
        this.#chunkRemaining -= taken;
        offset += taken;
      } else {
        offset += this.#chunkHeader.take(bytes, offset);
        if (this.#chunkHeader.full) {
          this.#chunkRemaining = this.#chunkHeader.bytes.readUInt32LE(0);
          this.#chunkHeader.filled = 0;
          if (this.#chunkRemaining === 0) {
            this.complete = true;
            this.#mark('received');
          }
        }
      }
    }
    this.bytesRead += offset;
    return offset;
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

export function createBodyDecoder(info: FrameInfo, mark: Mark = noMark): BodyDecoder {
  switch (info.codec) {
    case 'raw': {
      const type = info.wire ?? typedConstructorOf(info.payload);
      const expected = info.elements * type.BYTES_PER_ELEMENT;
      if (declaredByteLength(info) !== expected) {
        throw new Error(`a raw body of ${info.elements} ${type.name} elements is ${expected} bytes, the frame declares ${info.byteLength}`);
      }
      return new ContiguousBodyDecoder(expected, type.BYTES_PER_ELEMENT, (bytes) =>
        typedAsSentKind(new type(bytes.buffer as ArrayBuffer, bytes.byteOffset, info.elements), info.payload, mark),
      );
    }
    case 'v8':
      return new ContiguousBodyDecoder(declaredByteLength(info), 1, (bytes) => {
        mark('decodeStart');
        const value: unknown = deserialize(bytes);
        mark('decodeEnd');
        if (!hasKind(value, info.payload)) throw new Error(`the v8 body did not hold a ${info.payload} payload`);
        return value;
      });
    case 'json':
      return new JsonBodyDecoder(info, mark);
    case 'pickle':
      throw pythonOnly(info.codec);
  }
}

/** A typed array as the payload kind that was sent: itself, or rebuilt as a JS Array (a decode step). */
export function typedAsSentKind(typed: Int32Array | Float64Array, payload: PayloadId, mark: Mark = noMark): Payload {
  if (!isJsArrayPayload(payload)) return typed;
  mark('decodeStart');
  const values = typedToArray(typed);
  mark('decodeEnd');
  return values;
}

function declaredByteLength(info: FrameInfo): number {
  if (info.byteLength === undefined) throw new Error(`a ${info.codec} frame must declare its body length`);
  return info.byteLength;
}

/**
 * A body of declared length collected into one contiguous view, then decoded. A piece that is
 * the whole body and suitably aligned is used in place (no copy).
 */
class ContiguousBodyDecoder implements BodyDecoder {
  #target: Uint8Array | undefined;
  #filled = 0;

  constructor(
    private readonly byteLength: number,
    private readonly alignment: number,
    private readonly decode: (bytes: Uint8Array) => Payload,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.#filled + bytes.byteLength > this.byteLength) {
      throw new Error(`the body is longer than the ${this.byteLength} bytes its frame header declares`);
    }
    if (!this.#target) {
      if (bytes.byteLength === this.byteLength && bytes.byteOffset % this.alignment === 0) {
        this.#target = bytes;
        this.#filled = bytes.byteLength;
        return;
      }
      this.#target = new Uint8Array(new ArrayBuffer(this.byteLength));
    }
    this.#target.set(bytes, this.#filled);
    this.#filled += bytes.byteLength;
  }

  finish(): Payload {
    if (this.#filled !== this.byteLength) throw new Error(`the body has ${this.#filled} bytes, its frame header declares ${this.byteLength}`);
    return this.decode(this.#target ?? new Uint8Array(0));
  }
}

const enum JsonState {
  BeforeArray,
  FirstValue, // after '[': a value or ']'
  Value, // after ',': a value
  Number,
  AfterValue, // ',' or ']'
  Done,
}

const isJsonSpace = (byte: number): boolean => byte === Char.Space || byte === Char.LineFeed || byte === Char.CarriageReturn || byte === Char.Tab;
const isDigit = (byte: number): boolean => byte >= Char.Zero && byte <= Char.Nine;
const isNumberTail = (byte: number): boolean => byte === Char.Dot || byte === Char.LowerE || byte === Char.UpperE || byte === Char.Plus || byte === Char.Minus;
/** Numbers an array payload's decoder gathers before handing them to the ArrayAssembler. */
const ARRAY_BATCH_ELEMENTS = 1 << 16;
/** Digits accumulated as an exact integer before falling back to Number(text). */
const EXACT_DIGITS = 15;

function describeByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

/** Decodes a streamed JSON array of numbers into an Array, Int32Array or Float64Array. */
export class JsonBodyDecoder implements BodyDecoder {
  #state = JsonState.BeforeArray;
  #negative = false;
  #value = 0;
  #digits = 0;
  /** Text of a number that is not a short integer (fraction, exponent, many digits). */
  #numberText: string | undefined;
  #count = 0;
  #position = 0;
  /** typed payloads: the target, filled in place. */
  readonly #typed: Int32Array | Float64Array | undefined;
  /** array payload: numbers gather in a batch, then go to the assembler. */
  readonly #assembler: ArrayAssembler | undefined;
  readonly #batch: Float64Array | undefined;
  #batched = 0;

  constructor(
    private readonly info: Pick<FrameInfo, 'payload' | 'elements'>,
    private readonly mark: Mark = noMark,
  ) {
    if (isJsArrayPayload(info.payload)) {
      this.#assembler = new ArrayAssembler(info.elements);
      this.#batch = new Float64Array(Math.min(info.elements, ARRAY_BATCH_ELEMENTS));
    } else {
      this.#typed = new (typedConstructorOf(info.payload))(info.elements);
    }
  }

  #store(value: number): void {
    if (this.#count >= this.info.elements) throw new Error(`the JSON array has more than the ${this.info.elements} elements its frame declares`);
    if (this.#typed) this.#typed[this.#count] = value;
    else {
      this.#batch![this.#batched++] = value;
      if (this.#batched === this.#batch!.length) this.#flushBatch();
    }
    this.#count++;
  }

  #flushBatch(): void {
    this.#assembler!.add(this.#batch!.subarray(0, this.#batched));
    this.#batched = 0;
  }

  /** Ends the number before the byte at absolute position `at`. */
  #endNumber(at: number): void {
    let value: number;
    if (this.#numberText !== undefined) {
      value = Number(this.#numberText);
      if (Number.isNaN(value)) throw new Error(`JSON decode: bad number "${this.#numberText}" before byte ${at}`);
      this.#numberText = undefined;
    } else {
      if (this.#digits === 0) throw new Error(`JSON decode: bad number "-" before byte ${at}`);
      value = this.#negative ? -this.#value : this.#value;
    }
    this.#store(value);
    this.#state = JsonState.AfterValue;
  }

  #fail(byte: number, at: number, expected: string): never {
    throw new Error(`JSON decode: unexpected ${describeByte(byte)} at byte ${at}, expected ${expected} (this decoder reads arrays of numbers)`);
  }

  write(bytes: Uint8Array): void {
    if (this.#position === 0 && bytes.byteLength > 0) this.mark('decodeStart');
    const length = bytes.byteLength;
    for (let i = 0; i < length; i++) {
      const byte = bytes[i]!;
      switch (this.#state) {
        case JsonState.Number:
          if (isDigit(byte)) {
            if (this.#numberText !== undefined) this.#numberText += String.fromCharCode(byte);
            else if (this.#digits < EXACT_DIGITS) {
              this.#value = this.#value * 10 + (byte - Char.Zero);
              this.#digits++;
            } else this.#numberText = this.#numberPrefix() + String.fromCharCode(byte);
            break;
          }
          if (isNumberTail(byte)) {
            this.#numberText = (this.#numberText ?? this.#numberPrefix()) + String.fromCharCode(byte);
            break;
          }
          this.#endNumber(this.#position + i);
          this.#afterValue(byte, i);
          break;
        case JsonState.FirstValue:
        case JsonState.Value:
          if (isDigit(byte) || byte === Char.Minus) {
            this.#negative = byte === Char.Minus;
            this.#value = this.#negative ? 0 : byte - Char.Zero;
            this.#digits = this.#negative ? 0 : 1;
            this.#state = JsonState.Number;
          } else if (byte === Char.CloseBracket && this.#state === JsonState.FirstValue) {
            this.#state = JsonState.Done;
          } else if (!isJsonSpace(byte)) {
            this.#fail(byte, this.#position + i, this.#state === JsonState.FirstValue ? "a number or ']'" : 'a number');
          }
          break;
        case JsonState.AfterValue:
          this.#afterValue(byte, i);
          break;
        case JsonState.BeforeArray:
          if (byte === Char.OpenBracket) this.#state = JsonState.FirstValue;
          else if (!isJsonSpace(byte)) this.#fail(byte, this.#position + i, "'['");
          break;
        case JsonState.Done:
          if (!isJsonSpace(byte)) this.#fail(byte, this.#position + i, 'the end of the JSON text');
          break;
      }
    }
    this.#position += length;
  }

  #afterValue(byte: number, index: number): void {
    if (byte === Char.Comma) this.#state = JsonState.Value;
    else if (byte === Char.CloseBracket) this.#state = JsonState.Done;
    else if (!isJsonSpace(byte)) this.#fail(byte, this.#position + index, "',' or ']'");
  }

  #numberPrefix(): string {
    return (this.#negative ? '-' : '') + (this.#digits > 0 ? String(this.#value) : '');
  }

  finish(): Payload {
    if (this.#state !== JsonState.Done) throw new Error(`the JSON text ended after ${this.#position} bytes, before its array was closed`);
    if (this.#count !== this.info.elements) throw new Error(`the JSON array has ${this.#count} elements, its frame declares ${this.info.elements}`);
    let values: Payload;
    if (this.#typed) values = this.#typed;
    else {
      this.#flushBatch();
      values = this.#assembler!.finish();
    }
    this.mark('decodeEnd');
    return values;
  }
}
