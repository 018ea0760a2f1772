// ShmChannel's options and arguments, each checked in one place, with messages that say what is
// wrong and what was expected.
import { checkSpinMicros } from '../semaphore.js';
import { checkBoolean, checkInteger, checkMode, checkOptions, checkTimeout, checkWaitOptions, describe, messageOf } from '../validate.js';
import { kindOfConstructor, layout, PayloadKind, type TypedArray } from './layout.js';
import { isRingSize } from './link.js';
import { bytesOf, kindOf, type ChannelPayload } from './payload.js';

export interface CreateChannelOptions {
  /** Size of the ring of messages: a power of two from 4096 to 2^30. Larger messages stream through it in chunks. Default 4 MiB. */
  ringBytes?: number;
  /** Map every page of the segment into this process at creation. Default `false`. */
  populate?: boolean;
  /** Permission bits of the segment. Default `0o600`. */
  mode?: number;
  /** See `OpenChannelOptions.spinMicros`. */
  spinMicros?: number;
  /** See `OpenChannelOptions.closeOnExit`; the creator's close at exit also unlinks the name. */
  closeOnExit?: boolean;
}

export interface OpenChannelOptions {
  /**
   * Busy-wait up to this many microseconds for the peer before sleeping, in every wait of this
   * handle (0 to 10^6). Default 0. Spinning uses a core and blocks this event loop while it spins,
   * for a lower round-trip latency when the peer answers within that time.
   */
  spinMicros?: number;
  /** Map every page of the segment into this process now, so the first messages do not pay for page faults. Default `false`. */
  populate?: boolean;
  /**
   * Close this handle when the process exits normally while it is still open, telling the peer how
   * many accepted sends never reached the ring. Default `true`; `false` leaves the handle (and, for
   * its creator, the name in /dev/shm) as the process left it.
   */
  closeOnExit?: boolean;
}

export interface CloseChannelOptions {
  /**
   * How long close() lets the producer's pending sends finish before it gives them up (they and
   * close() then reject with ERR_MESSAGES_LOST). Default: no limit. 0 gives them up at once.
   */
  timeoutMs?: number;
}

export interface ChannelWaitOptions {
  /** Give up after this many milliseconds with `ERR_TIMEOUT`. Default: wait forever. */
  timeoutMs?: number;
}

export interface ReceiveManyOptions extends ChannelWaitOptions {
  /** At most this many messages (`Infinity`: every one there). Default 1024, so that a batch stays young for the garbage collector. */
  max?: number;
}

/** 4 MiB: a 1 MiB message is one record, and an 8-byte stream publishes its head every 64K messages. */
export const DEFAULT_RING_BYTES = 4 * 1024 * 1024;
/**
 * receiveMany's default `max`. Measured with 8-byte messages: 64 to 4096 all took 5.5-7 million
 * messages/s, while "all there" (up to 256K messages in a 4 MiB ring) took 0.6 million: arrays that
 * large outlive the young generation, and the garbage collector took two thirds of the time.
 */
export const DEFAULT_RECEIVE_MANY = 1024;

export type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray;

/** Milliseconds of the caller's timeout (-1: none), read from its options. */
export function timeoutOf(options: ChannelWaitOptions | undefined): number {
  if (options === undefined) return -1;
  return checkTimeout(checkWaitOptions<ChannelWaitOptions>(options, ['timeoutMs']).timeoutMs, 'options.timeoutMs');
}

/** close()'s timeout in milliseconds (-1: no limit). */
export function closeOptions(options: CloseChannelOptions | undefined): number {
  return timeoutOf(options);
}

export function createOptions(options: CreateChannelOptions | undefined): Required<CreateChannelOptions> {
  const opts = checkOptions<CreateChannelOptions & { slots: unknown; slotSize: unknown }>(options, 'options', [
    'ringBytes',
    'populate',
    'mode',
    'spinMicros',
    'closeOnExit',
    'slots',
    'slotSize',
  ]);
  const replaced = (['slotSize', 'slots'] as const).find((key) => key in opts);
  if (replaced) {
    throw new TypeError(
      `options.${replaced} was replaced by options.ringBytes: a channel is one ring of ringBytes bytes (a power of two from ${layout.minRingBytes} to 2^30, default ${DEFAULT_RING_BYTES}) that carries messages of any size`,
    );
  }
  return {
    ringBytes: opts.ringBytes === undefined ? DEFAULT_RING_BYTES : checkRingBytes(opts.ringBytes),
    populate: checkBoolean(opts.populate, 'options.populate', false),
    mode: opts.mode === undefined ? 0o600 : checkMode(opts.mode),
    spinMicros: checkSpinMicros(opts.spinMicros),
    closeOnExit: checkBoolean(opts.closeOnExit, 'options.closeOnExit', true),
  };
}

export function openOptions(options: OpenChannelOptions | undefined): Required<OpenChannelOptions> {
  const opts = checkOptions<OpenChannelOptions>(options, 'options', ['spinMicros', 'populate', 'closeOnExit']);
  return {
    spinMicros: checkSpinMicros(opts.spinMicros),
    populate: checkBoolean(opts.populate, 'options.populate', false),
    closeOnExit: checkBoolean(opts.closeOnExit, 'options.closeOnExit', true),
  };
}

/** receiveMany's `max` (default DEFAULT_RECEIVE_MANY), and its wait options. */
export function receiveManyOptions(options: ReceiveManyOptions | undefined): { max: number; wait: ChannelWaitOptions | undefined } {
  const opts = checkWaitOptions<ReceiveManyOptions>(options, ['max', 'timeoutMs']);
  const max =
    opts.max === undefined || opts.max === Infinity
      ? (opts.max ?? DEFAULT_RECEIVE_MANY)
      : checkInteger(opts.max, 'options.max', 1, Number.MAX_SAFE_INTEGER, 'a positive integer or Infinity');
  const timeout = checkTimeout(opts.timeoutMs, 'options.timeoutMs');
  return { max, wait: timeout < 0 ? undefined : { timeoutMs: timeout } };
}

/** `reserve(byteLength, options?)` or `reserve(Type, length, options?)`: at most one record, half the ring. */
export function reserveArguments(
  typeOrBytes: unknown,
  lengthOrOptions: unknown,
  maybeOptions: ChannelWaitOptions | undefined,
  ringBytes: number,
): { byteLength: number; kind: number; elementBytes: number; options: ChannelWaitOptions | undefined } {
  let kind: number = PayloadKind.Uint8Array;
  let elementBytes = 1;
  let length = typeOrBytes;
  let options = lengthOrOptions as ChannelWaitOptions | undefined;
  if (typeof typeOrBytes === 'function') {
    const found = kindOfConstructor(typeOrBytes);
    if (found === undefined) throw new TypeError(`type must be a typed array constructor, got ${describe(typeOrBytes)}`);
    kind = found;
    elementBytes = (typeOrBytes as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    length = lengthOrOptions;
    options = maybeOptions;
  }
  const most = Math.floor((ringBytes / 2 - layout.recordHeaderBytes) / elementBytes);
  checkInteger(length, 'length', 0, most, `an integer from 0 to ${most} (one record, half the ring of ${ringBytes} bytes)`);
  return { byteLength: (length as number) * elementBytes, kind, elementBytes, options };
}

/** The elements of `list`, read once; a Proxy whose traps throw is a TypeError like any other non-array. */
/** sendMany's list as bytes and kinds: a Uint8Array (or Buffer) as it is, anything else checked as send() checks it. */
export function messagesOf(list: unknown): { messages: Uint8Array[]; kinds: number[] } {
  const expected = 'list must be an array of ArrayBuffers, typed arrays or DataViews';
  let items: unknown[] | undefined;
  try {
    if (Array.isArray(list)) items = Array.from(list);
  } catch (error) {
    throw new TypeError(`${expected} whose elements can be read, got one that failed with: ${messageOf(error)}`);
  }
  if (items === undefined) throw new TypeError(`${expected}, got ${describe(list)}`);
  const messages: Uint8Array[] = new Array(items.length);
  const kinds: number[] = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    const data = items[index];
    // A view of length 0 may be detached: bytesOf tells.
    if (data instanceof Uint8Array && data.byteLength !== 0) {
      messages[index] = data;
      kinds[index] = PayloadKind.Uint8Array;
    } else {
      messages[index] = bytesOf(data, `list[${index}]`, 'readable');
      kinds[index] = kindOf(data as ChannelPayload);
    }
  }
  return { messages, kinds };
}

function checkRingBytes(value: unknown): number {
  const expected = `a power of two from ${layout.minRingBytes} to 2^30`;
  checkInteger(value, 'options.ringBytes', layout.minRingBytes, layout.maxRingBytes, expected);
  if (!isRingSize(value as number)) throw new RangeError(`options.ringBytes must be ${expected}, got ${describe(value)}`);
  return value as number;
}
