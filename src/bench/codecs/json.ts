// The json codec, streamed both ways so that no string ever approaches V8's 536,870,888-character
// limit: the encoder writes the digits of each number straight into Buffers of about 1 MiB, and
// the decoder parses them digit by digit straight into the target array.
import type { PayloadId } from '../ids.js';
import { ArrayAssembler, isJsArrayPayload, typedConstructorOf } from '../payload.js';
import { noMark, type Mark, type Payload } from '../side.js';

/** Size of each Buffer the JSON encoder fills. */
export const JSON_CHUNK_BYTES = 1 << 20;

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

// ---------------------------------------------------------------------------------------------
// Decoding

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
export class JsonBodyDecoder {
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
    private readonly info: { payload: PayloadId; elements: number },
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
