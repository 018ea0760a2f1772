// A payload as body bytes in each codec, and back: json (json.ts), v8 (structured clone) and raw
// (the typed array's own bytes; a JS Array travels as int32 when every value is one, else float64).
import { deserialize, serialize } from 'node:v8';

import type { CodecId, PayloadId } from '../ids.js';
import { castToTyped, hasKind, isJsArrayPayload, rawWireType, typedConstructorOf, typedToArray, type WireType } from '../payload.js';
import { noMark, type Mark, type Payload } from '../side.js';
import { encodeJsonChunks, JsonBodyDecoder } from './json.js';

/** The payload kind a frame names: `array` for any JS Array (`mixed` too), else the typed array's own. */
export function payloadKindOf(payload: Payload): PayloadId {
  if (Array.isArray(payload)) return 'array';
  if (payload instanceof Int32Array) return 'int32';
  if (payload instanceof Float64Array) return 'float64';
  throw new TypeError(`cannot encode a ${(payload as object)?.constructor?.name ?? typeof payload}: expected an Array, Int32Array or Float64Array`);
}

/** What a body is: what a frame's header says about the body it carries. */
export interface BodyInfo {
  codec: CodecId;
  payload: PayloadId;
  elements: number;
  /** Body bytes; undefined while unknown (streamed JSON). */
  byteLength: number | undefined;
  /** raw only: the element type of the body (a JS Array travels as int32 when every value is one, else float64). */
  wire?: WireType;
}

/** A payload turned into body bytes, possibly lazily (JSON). */
export interface EncodedBody extends BodyInfo {
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

/** Decodes a body pushed in pieces. */
export interface BodyDecoder {
  write(bytes: Uint8Array): void;
  finish(): Payload;
}


export function createBodyDecoder(info: BodyInfo, mark: Mark = noMark): BodyDecoder {
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

function declaredByteLength(info: BodyInfo): number {
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
