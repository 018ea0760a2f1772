import { IpcError } from './errors.js';
import { atExit, closeAtExit, forgetAtExit } from './exit-hook.js';
import { nativeHandle } from './handles.js';
import { addon, type SemaphoreHandle } from './native.js';
import { SharedMemory } from './shared-memory.js';
import { checkBoolean, checkInteger, checkMode, checkOptions, checkTimeout, describe, normalizeName } from './validate.js';

/** Largest count a POSIX semaphore holds on Linux (SEM_VALUE_MAX). */
export const SEMAPHORE_VALUE_MAX = 2 ** 31 - 1;

export interface CreateSemaphoreOptions {
  /** Permission bits. Default `0o600`. */
  mode?: number;
  /** Fail with `EEXIST` when the name exists (default). */
  exclusive?: boolean;
  /** Leave the name in place when this creator closes. Default `false`. */
  keep?: boolean;
  /** Close (and so unlink) the semaphore when the process exits normally while it is still open. Default `true` (unless `keep`). */
  closeOnExit?: boolean;
}

export interface SemaphoreWaitOptions {
  /**
   * Busy-wait on this thread for up to this many microseconds before sleeping (0 to 10^6).
   * Default 0. Spinning trades a core (and blocks the event loop while it spins) for a lower
   * wake-up latency when the peer answers within that time.
   */
  spinMicros?: number;
}

export interface SemaphoreTimedWaitOptions extends SemaphoreWaitOptions {
  /** Give up after this many milliseconds (the wait then gives `false`). Default: wait forever. */
  timeoutMs?: number;
}

/**
 * wait()'s and waitSync()'s arguments: `(timeoutMs?, options?)` as before, or the one form the rest
 * of the API takes, `({ timeoutMs, spinMicros })`.
 */
function timedWaitArguments(call: string, first: unknown, second: unknown, allowed: readonly (keyof SemaphoreTimedWaitOptions)[]): { timeout: number; spinMicros: number } {
  if (first !== null && typeof first === 'object' && !isArray(first)) {
    if (second !== undefined) throw new TypeError(`options must not follow an options object: ${call}({ timeoutMs, ... }) takes them all, got a second argument ${describe(second)}`);
    const opts = checkOptions<SemaphoreTimedWaitOptions>(first, 'options', allowed);
    return { timeout: checkTimeout(opts.timeoutMs, 'options.timeoutMs'), spinMicros: checkSpinMicros(opts.spinMicros) };
  }
  if (first !== undefined && typeof first !== 'number') {
    throw new TypeError(`timeoutMs must be a number of milliseconds, or options such as { timeoutMs: 300 }, for ${call}(); got ${describe(first)}`);
  }
  const opts = checkOptions<SemaphoreWaitOptions>(second, 'options', ['spinMicros']);
  return { timeout: checkTimeout(first, 'timeoutMs'), spinMicros: checkSpinMicros(opts.spinMicros) };
}

/** Array.isArray that a revoked Proxy cannot turn into an exception (it then counts as options, which checkOptions refuses by name). */
function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** Largest `spinMicros` accepted: one second. */
export const MAX_SPIN_MICROS = 1_000_000;

export function checkSpinMicros(value: unknown, what = 'options.spinMicros'): number {
  if (value === undefined) return 0;
  return checkInteger(value, what, 0, MAX_SPIN_MICROS, `an integer number of microseconds from 0 to ${MAX_SPIN_MICROS}`);
}

function checkInitial(initial: unknown): number {
  return checkInteger(initial, 'initial', 0, SEMAPHORE_VALUE_MAX, `an integer from 0 to ${SEMAPHORE_VALUE_MAX}`);
}

/** `instanceof` that a Proxy with a throwing getPrototypeOf trap cannot turn into an exception. */
function isSharedMemory(value: unknown): value is SharedMemory {
  try {
    return value instanceof SharedMemory;
  } catch {
    return false;
  }
}

function checkOffset(segment: SharedMemory, offset: unknown): number {
  if (!isSharedMemory(segment)) throw new TypeError(`segment must be a SharedMemory, got ${describe(segment)}`);
  const last = segment.size - addon.SemaphoreHandle.byteLength;
  if (last < 0) {
    throw new RangeError(
      `segment "${segment.name}" is ${segment.size} bytes, too small for a semaphore (${addon.SemaphoreHandle.byteLength} bytes)`,
    );
  }
  const expected = `a multiple of ${addon.SemaphoreHandle.alignment} from 0 to ${last}`;
  checkInteger(offset, 'offset', 0, last, expected);
  if ((offset as number) % addon.SemaphoreHandle.alignment !== 0) {
    throw new RangeError(`offset must be ${expected} (a semaphore takes ${addon.SemaphoreHandle.byteLength} bytes), got ${describe(offset)}`);
  }
  return offset as number;
}

/**
 * For ShmChannel (not exported by the package): `tryWait({ spinMicros })` with a count the caller
 * already checked, without re-checking its options on every message.
 */
export let tryWaitSpinning: (semaphore: Semaphore, spinMicros: number) => boolean;

/**
 * A POSIX counting semaphore: named (`create`/`open`), or living inside a shared memory segment
 * (`createIn`/`openIn`). `wait()` never blocks the event loop (unless asked to spin).
 */
export class Semaphore {
  static {
    tryWaitSpinning = (semaphore, spinMicros) => semaphore.#live('tryWait').tryWait(spinMicros);
  }

  /** Bytes one in-segment semaphore occupies. */
  static readonly byteLength: number = addon.SemaphoreHandle.byteLength;
  /** Required alignment of an in-segment semaphore's offset. */
  static readonly alignment: number = addon.SemaphoreHandle.alignment;

  /** The name, or a description of where an in-segment semaphore lives. */
  readonly name: string;
  readonly #unlinkOnClose: boolean;
  #handle: SemaphoreHandle | undefined;

  private constructor(name: string, handle: SemaphoreHandle, unlinkOnClose: boolean) {
    this.name = name;
    this.#handle = handle;
    this.#unlinkOnClose = unlinkOnClose;
  }

  static create(name: string, initial = 0, options?: CreateSemaphoreOptions): Semaphore {
    const canonical = normalizeName(name);
    checkInitial(initial);
    const opts = checkOptions<CreateSemaphoreOptions>(options, 'options', ['mode', 'exclusive', 'keep', 'closeOnExit']);
    const mode = opts.mode === undefined ? 0o600 : checkMode(opts.mode);
    const exclusive = checkBoolean(opts.exclusive, 'options.exclusive', true);
    const keep = checkBoolean(opts.keep, 'options.keep', false);
    const atExit = checkBoolean(opts.closeOnExit, 'options.closeOnExit', true);
    const handle = addon.SemaphoreHandle.create(canonical, initial, mode, exclusive);
    const semaphore = new Semaphore(canonical, handle, !keep);
    if (atExit && !keep) closeAtExit(semaphore);
    return semaphore;
  }

  static open(name: string): Semaphore {
    const canonical = normalizeName(name);
    return new Semaphore(canonical, addon.SemaphoreHandle.open(canonical), false);
  }

  /** Removes the name; returns false when nothing had it. */
  static unlink(name: string): boolean {
    return addon.SemaphoreHandle.unlink(normalizeName(name));
  }

  /** Initialises a process-shared semaphore at `offset` of a writable segment. */
  static createIn(segment: SharedMemory, offset: number, initial = 0): Semaphore {
    checkOffset(segment, offset);
    checkInitial(initial);
    const handle = addon.SemaphoreHandle.createIn(segment[nativeHandle], offset, initial);
    return new Semaphore(`semaphore at ${segment.name}+${offset}`, handle, false);
  }

  /** Attaches to a semaphore that a peer initialised at `offset` with `createIn`. */
  static openIn(segment: SharedMemory, offset: number): Semaphore {
    checkOffset(segment, offset);
    const handle = addon.SemaphoreHandle.openIn(segment[nativeHandle], offset);
    return new Semaphore(`semaphore at ${segment.name}+${offset}`, handle, false);
  }

  post(): void {
    this.#live('post').post();
  }

  /**
   * Takes one unit if available, without sleeping. With `options.spinMicros`, busy-waits up to that
   * many microseconds for one first (blocking this thread meanwhile, as `wait` does).
   */
  tryWait(options?: SemaphoreWaitOptions): boolean {
    if (options === undefined) return this.#live('tryWait').tryWait();
    const opts = checkOptions<SemaphoreWaitOptions>(options, 'options', ['spinMicros']);
    return tryWaitSpinning(this, checkSpinMicros(opts.spinMicros));
  }

  /** Blocks this thread up to `timeoutMs` (default forever). `false` on timeout. `waitSync(300)` and `waitSync({ timeoutMs: 300 })` are the same. */
  waitSync(timeoutMs?: number | { timeoutMs?: number }): boolean {
    const { timeout } = timedWaitArguments('waitSync', timeoutMs, undefined, ['timeoutMs']);
    return this.#live('waitSync').waitSync(timeout);
  }

  /**
   * Resolves `true` once a unit is taken, `false` after `timeoutMs` (default forever). An
   * in-segment semaphore wakes this event loop directly when a peer posts (one hop); a named one
   * waits on a dedicated thread. `wait({ timeoutMs: 300, spinMicros })` is the form the rest of the
   * API takes; `wait(300, { spinMicros })` stays the same call.
   */
  wait(timeoutMs?: number, options?: SemaphoreWaitOptions): Promise<boolean>;
  wait(options: SemaphoreTimedWaitOptions): Promise<boolean>;
  wait(timeoutOrOptions?: number | SemaphoreTimedWaitOptions, options?: SemaphoreWaitOptions): Promise<boolean> {
    try {
      const { timeout, spinMicros } = timedWaitArguments('wait', timeoutOrOptions, options, ['timeoutMs', 'spinMicros']);
      return this.#live('wait').wait(timeout, spinMicros);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The current count (a snapshot: peers may change it at any moment). */
  get value(): number {
    return this.#live('read').value();
  }

  get closed(): boolean {
    return this.#handle === undefined;
  }

  /** Releases the handle (pending waits reject with ERR_CLOSED); the creator of a named one unlinks it. */
  close(): void {
    const handle = this.#handle;
    if (!handle) return;
    this.#handle = undefined;
    forgetAtExit(this);
    handle.close();
    if (this.#unlinkOnClose) addon.SemaphoreHandle.unlink(this.name);
  }

  /** For the exit hook. */
  [atExit](): void {
    this.close();
  }

  #live(operation: string): SemaphoreHandle {
    if (!this.#handle) {
      throw new IpcError(`cannot ${operation} ${this.name}: the semaphore is closed`, { code: 'ERR_CLOSED', name: this.name });
    }
    return this.#handle;
  }
}
