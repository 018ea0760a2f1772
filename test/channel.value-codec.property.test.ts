// sendValue's JavaScript writer and reader of V8's value format (src/channel/value-*.ts) against
// Node's own v8.serialize and v8.deserialize: the same bytes out, the same values back (typed array
// types, -0, NaN, two-byte text, key order), and for damaged or random bytes either the same value
// or the same error as v8.deserialize; never a value that V8 would not give.
import fc from 'fast-check';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';

import { deserializeValueBytes, fastDeserialize, NOT_FAST } from '../src/channel/value-reader.js';
import { fastSerialize, serializeValueBytes } from '../src/channel/value-writer.js';
import { same } from './support/values.js';
// @ts-expect-error: a plain .mjs fixture shared with the channel's sending process
import { valueCases } from './fixtures/value-cases.mjs';

const cases = valueCases() as { fast: unknown[]; fallback: [string, unknown][] };

const isInt32 = (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 && !Object.is(n, -0);

const text = (maxCode: number, maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: maxCode }), { maxLength }).map((codes) => String.fromCharCode(...codes));
const number = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.double(),
  fc.constantFrom(-0, Number.NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 2 ** 53),
);
const view = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 24 }),
  fc.uint8Array({ minLength: 1, maxLength: 24 }).map((bytes) => Buffer.from(bytes)),
  fc.int8Array({ minLength: 1, maxLength: 8 }),
  fc.uint8ClampedArray({ minLength: 1, maxLength: 8 }),
  fc.int16Array({ minLength: 1, maxLength: 8 }),
  fc.uint16Array({ minLength: 1, maxLength: 8 }),
  fc.int32Array({ minLength: 1, maxLength: 8 }),
  fc.uint32Array({ minLength: 1, maxLength: 8 }),
  fc.float32Array({ minLength: 1, maxLength: 8 }),
  fc.float64Array({ minLength: 2, maxLength: 8 }).map((floats) => floats.subarray(1)),
  fc.bigInt64Array({ minLength: 1, maxLength: 4 }),
  fc.bigUint64Array({ minLength: 1, maxLength: 4 }),
  fc.uint8Array({ minLength: 2, maxLength: 16 }).map((bytes) => new DataView(bytes.buffer, 1)),
);
const key = fc.oneof(fc.string({ maxLength: 6 }), text(0x2000, 4), fc.constantFrom('0', '7', '42', '2147483647', '4294967295', '01', '-1', '1.5'));
const leaf = fc.oneof(fc.constantFrom(undefined, null, true, false), number, number, text(0xff, 40), text(0xffff, 12), fc.string({ maxLength: 120 }), view);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true }),
}));

/**
 * `value` as V8 holds a literal of it: int32s as Smis, arrays of int32s PACKED_SMI_ELEMENTS (JSON.parse
 * makes them so; a `[]` would start PACKED_DOUBLE once its allocation site saw a double), arrays of
 * numbers with a non-int32 PACKED_DOUBLE, other arrays PACKED_ELEMENTS, and objects without a map to
 * share a field's representation with (a field that once held a double holds 1 as one, written 'N').
 */
function asLiteral(value: unknown): unknown {
  if (typeof value === 'number') return isInt32(value) ? value | 0 : value;
  if (Array.isArray(value)) {
    if (value.every((element) => typeof element === 'number' && isInt32(element))) return JSON.parse(`[${value.join(',')}]`);
    const numbers = value.every((element) => typeof element === 'number');
    const array: unknown[] = numbers ? [] : [''];
    if (!numbers) array.pop(); // elements kinds never go back: PACKED_ELEMENTS stays
    for (const element of value) array.push(asLiteral(element));
    return array;
  }
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    const object = Object.create(null) as Record<string, unknown>;
    for (const name of Object.keys(value)) object[name] = asLiteral((value as Record<string, unknown>)[name]);
    return object;
  }
  return value;
}

type Outcome = { value: unknown } | { error: unknown };
function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
}

/** Both read the same value, or both threw the same kind of error with the same message. */
function expectSameOutcome(actual: Outcome, expected: Outcome): void {
  if ('error' in expected) {
    expect(actual).toHaveProperty('error');
    const error = (actual as { error: Error }).error;
    expect(error.constructor).toBe((expected.error as Error).constructor);
    expect(error.message).toBe((expected.error as Error).message);
  } else {
    expect(actual).toHaveProperty('value');
    expect(same((actual as { value: unknown }).value, expected.value)).toBe(true);
  }
}

const hex = (bytes: Uint8Array | undefined) => (bytes === undefined ? 'undefined' : Buffer.from(bytes).toString('hex'));

describe('the value writer', () => {
  it('writes exactly the bytes of v8.serialize for random values of its kinds', () => {
    fc.assert(
      fc.property(value, (sent) => {
        expect(hex(fastSerialize(sent))).toBe(hex(serialize(asLiteral(sent))));
      }),
      { numRuns: 600 },
    );
  });

  it('writes what V8 reads as the value v8.serialize gives, however V8 holds the value', () => {
    fc.assert(
      fc.property(value, (sent) => {
        const written = fastSerialize(sent);
        expect(written).toBeDefined();
        expect(same(deserialize(written!), deserialize(serialize(sent)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the fixed cases as v8.serialize does, and leaves each fallback case to it', () => {
    for (const sent of cases.fast) expect(hex(fastSerialize(sent)), String(sent)).toBe(hex(serialize(sent)));
    for (const [why, sent] of cases.fallback) {
      expect(fastSerialize(sent), why).toBeUndefined();
      expect(hex(serializeValueBytes(sent)), why).toBe(hex(serialize(sent)));
    }
  });

  it('refuses a proxy as V8 does, without running its traps', () => {
    let trapped = 0;
    const proxy = new Proxy({ a: 1 }, { ownKeys: (target) => (trapped++, Reflect.ownKeys(target)) });
    expect(fastSerialize(proxy)).toBeUndefined();
    expect(trapped).toBe(0);
    expect(() => serializeValueBytes({ inner: proxy })).toThrow(/could not be cloned/);
  });
});

describe('the value reader', () => {
  it('reads v8.serialize bytes as v8.deserialize does, at any offset, over its bytes or from a copy', () => {
    fc.assert(
      fc.property(value, fc.nat(9), fc.boolean(), (sent, pad, ownBytes) => {
        const bytes = serialize(asLiteral(sent));
        const expected = deserialize(bytes);
        const host = new Uint8Array(pad + bytes.length + 3).fill(0xee);
        host.set(bytes, pad);
        const read = fastDeserialize(host, pad, bytes.length, ownBytes);
        expect(read).not.toBe(NOT_FAST);
        expect(same(read, expected)).toBe(true);
        if (!ownBytes) {
          host.fill(0x11); // the copy's views are the value's own
          expect(same(read, expected)).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('reads the fixed cases as v8.deserialize does', () => {
    for (const sent of cases.fast) {
      const bytes = serialize(sent);
      expectSameOutcome(outcome(() => deserializeValueBytes(bytes, 0, bytes.length, false)), outcome(() => deserialize(bytes)));
    }
    for (const [, sent] of cases.fallback) {
      const bytes = serialize(sent); // cycles and shared objects, compared as graphs
      expectSameOutcome(outcome(() => deserializeValueBytes(bytes, 0, bytes.length, false)), outcome(() => deserialize(bytes)));
    }
  });

  it('reads hand-made edge cases (duplicate, odd and __proto__ keys, holes, padding, bad lengths) as V8 does', () => {
    const edges = {
      'a duplicate key': '6f220161490222016149047b02',
      'a number key and its string': '6f490249022201314904 7b02',
      'a __proto__ key': '6f22095f5f70726f746f5f5f6f7b007b01',
      'a double key': '6f4e000000000000f83f49027b01',
      'a negative key': '6f490149027b01',
      'a two-byte key': '6f006302341249027b01',
      'a hole': '41022d4902240002',
      'an array with a named property': '4102490249042203666f6f4902240102',
      'an array of the wrong length': '410149022400 02',
      'a varint past 32 bits': '49ffffffff7f',
      'a long varint of 1': '49828080800000',
      'padding everywhere': '00006f00220161004902007b01',
      'a two-byte string of odd length': '630141',
      'a view of no type': '5c0d0100',
      'an Int16Array of 3 bytes': '5c0303010203',
      'a Buffer': '5c0a03616263',
      'a DataView': '5c09020102',
      'a wrong property count': '6f7b01',
      'a string past the end': '2205616263',
      'trailing bytes': '4902ff',
      'a uint32': '5505',
      'an object count check': '3f004902',
      'nothing after the header': '',
    };
    for (const [what, body] of Object.entries(edges)) {
      const bytes = Buffer.from(`ff0f${body.replaceAll(' ', '')}`, 'hex');
      for (const ownBytes of [true, false]) {
        try {
          expectSameOutcome(outcome(() => deserializeValueBytes(bytes, 0, bytes.length, ownBytes)), outcome(() => deserialize(bytes)));
        } catch (error) {
          throw new Error(`${what} (${ownBytes ? 'own bytes' : 'copied'}): ${(error as Error).message}`);
        }
      }
    }
    for (const header of ['ff0e4902', 'ff8f004902', '4902', 'ff']) {
      const bytes = Buffer.from(header, 'hex');
      expect(fastDeserialize(bytes, 0, bytes.length, true)).toBe(NOT_FAST); // another version, or none: V8's to read
      expectSameOutcome(outcome(() => deserializeValueBytes(bytes, 0, bytes.length, true)), outcome(() => deserialize(bytes)));
    }
  });

  it('gives damaged or random bytes the value or the error that v8.deserialize gives', () => {
    const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'insert', 'delete', 'cut') });
    const damaged = fc.tuple(value, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([sent, edits]) => {
      const bytes = [...serialize(asLiteral(sent))];
      for (const { at, byte, op } of edits) {
        const i = at % (bytes.length + 1);
        if (op === 'set') bytes[i] = byte;
        else if (op === 'insert') bytes.splice(i, 0, byte);
        else if (op === 'delete') bytes.splice(i, 1);
        else bytes.length = Math.max(0, i);
      }
      return Uint8Array.from(bytes);
    });
    const random = fc.uint8Array({ maxLength: 48 }).map((tail) => Uint8Array.from([0xff, 0x0f, ...tail]));
    let readHere = 0;
    fc.assert(
      fc.property(fc.oneof(damaged, damaged, random), (bytes) => {
        const expected = outcome(() => deserialize(bytes));
        if (fastDeserialize(bytes, 0, bytes.length, true) !== NOT_FAST) readHere++;
        expectSameOutcome(outcome(() => deserializeValueBytes(bytes, 0, bytes.length, true)), expected);
        expectSameOutcome(outcome(() => deserializeValueBytes(bytes, 0, bytes.length, false)), expected);
      }),
      { numRuns: 3000 },
    );
    expect(readHere).toBeGreaterThan(150); // the reader itself decided many (about 1 in 10), not only V8
  });
});
