// Argument checks shared by the public API. Each message names the argument, what was expected
// and what was given, and checks exactly what it claims.

/** POSIX object names: macOS accepts 31 bytes with the leading slash, the smallest common limit. */
export const MAX_NAME_LENGTH = 30;
/** Largest segment this library maps (64 TiB): far beyond any machine, far below 2^53. */
export const MAX_SEGMENT_BYTES = 2 ** 46;

/** An error's message, whatever was thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether `buffer` was detached (transferred, or unmapped by close()): no view can be made of it. */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (buffer.byteLength !== 0) return false; // a detached buffer's length reads 0
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

export function describe(value: unknown): string {
  try {
    return describeUnsafely(value);
  } catch {
    return 'an object whose traps or getters throw';
  }
}

function describeUnsafely(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) >= 2 ** 32) {
    const exponent = Math.log2(Math.abs(value));
    if (Number.isInteger(exponent)) return `${value < 0 ? '-' : ''}2^${exponent}`;
  }
  if (value === null) return 'null';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  // A promise where a value belongs is nearly always a call that was not awaited.
  if (value instanceof Promise) return 'a Promise (a missing await?)';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return String(value);
}

/** Returns the canonical form with a leading '/'. */
export function normalizeName(name: unknown, what = 'name'): string {
  if (typeof name !== 'string') throw new TypeError(`${what} must be a string, got ${describe(name)}`);
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (bare.length === 0) throw new RangeError(`${what} must not be empty (a leading '/' alone is empty too)`);
  if (bare.includes('/')) throw new RangeError(`${what} must not contain '/' after the leading one, got ${describe(name)}`);
  if (bare.includes('\0')) throw new RangeError(`${what} must not contain a NUL character, got ${describe(name)}`);
  if (bare.startsWith('sem.')) {
    throw new RangeError(
      `${what} must not start with "sem.": /dev/shm/sem.<x> is where Linux keeps the named semaphore <x>, so such a name would reach a semaphore; got ${describe(name)}`,
    );
  }
  if (bare === '.' || bare === '..') throw new RangeError(`${what} must not be "." or "..", got ${describe(name)}`);
  const bytes = Buffer.byteLength(bare);
  if (bytes > MAX_NAME_LENGTH) {
    throw new RangeError(
      `${what} must be at most ${MAX_NAME_LENGTH} bytes after the leading '/' (the limit every POSIX system accepts), got ${bytes}`,
    );
  }
  return `/${bare}`;
}

export function checkInteger(value: unknown, what: string, min: number, max: number, expected: string): number {
  if (typeof value !== 'number') throw new TypeError(`${what} must be ${expected}, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be ${expected}, got ${describe(value)}`);
  }
  return value;
}

export function checkSize(value: unknown, what = 'size'): number {
  return checkInteger(value, what, 1, MAX_SEGMENT_BYTES, 'a positive integer number of bytes up to 2^46');
}

export function checkMode(value: unknown, what = 'options.mode'): number {
  return checkInteger(value, what, 0, 0o777, 'an integer permission mode from 0 to 0o777');
}

/** `value` as a boolean; an absent one (undefined) is `absent` when that is given. */
export function checkBoolean(value: unknown, what: string, absent?: boolean): boolean {
  if (value === undefined && absent !== undefined) return absent;
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean, got ${describe(value)}`);
  return value;
}

/** Milliseconds as the addon takes them: -1 means forever. */
export function checkTimeout(value: unknown, what = 'timeoutMs'): number {
  if (value === undefined || value === Infinity) return -1;
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be a number of milliseconds (or Infinity), got ${describe(value)}`);
  }
  if (Number.isNaN(value) || value < 0 || value > 2 ** 52) {
    throw new RangeError(`${what} must be a number of milliseconds from 0 to 2^52, or Infinity, got ${describe(value)}`);
  }
  return Math.ceil(value);
}

/**
 * A copy of the allowed options, each read once: a getter or Proxy trap that throws, or an option
 * that changes between reads, cannot get past the checks.
 */
export function checkOptions<T extends object>(options: unknown, what: string, allowed: readonly (keyof T & string)[]): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new TypeError(`${what} must be an object, got ${describe(options)}`);
  let keys: string[];
  const copy: Record<string, unknown> = {};
  try {
    if (Array.isArray(options)) throw new TypeError('an array');
    keys = Object.keys(options);
    for (const key of allowed) {
      if (keys.includes(key)) copy[key] = (options as Record<string, unknown>)[key];
    }
  } catch (error) {
    throw new TypeError(`${what} must be a plain object whose options can be read, got one that failed with: ${messageOf(error)}`);
  }
  for (const key of keys) {
    if (!allowed.includes(key as keyof T & string)) {
      throw new TypeError(`${what} has an unknown option ${JSON.stringify(key)}; expected one of ${allowed.join(', ')}`);
    }
  }
  return copy as Partial<T>;
}

/**
 * The options of a call that waits (`{ timeoutMs }` and the others in `allowed`). A bare number is
 * the form semaphore.wait(ms) takes, refused here with the form that is expected.
 */
export function checkWaitOptions<T extends object>(options: unknown, allowed: readonly (keyof T & string)[]): Partial<T> {
  if (typeof options === 'number') {
    throw new TypeError(`options must be an object such as { timeoutMs: ${options} }, got the number ${describe(options)}`);
  }
  return checkOptions<T>(options, 'options', allowed);
}

export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, got ${describe(value)}`);
  return value;
}
