import { describe } from './validate.js';

/** Codes that ipclab itself uses besides errno names such as `EEXIST` or `ENOENT`. */
export type IpcErrorCode =
  | 'ERR_CLOSED'
  | 'ERR_READ_ONLY'
  | 'ERR_OUT_OF_RANGE'
  | 'ERR_SIZE_MISMATCH'
  | 'ERR_EMPTY_SEGMENT'
  | 'ERR_BAD_CHANNEL'
  | 'ERR_CORRUPT_SEMAPHORE'
  | 'ERR_CHANNEL_CLOSED'
  | 'ERR_PEER_GONE'
  | 'ERR_MESSAGES_LOST'
  | 'ERR_TIMEOUT'
  | 'ERR_WRONG_STATE'
  | 'ERR_ADDON_NOT_BUILT'
  | 'ERR_IPC'
  | (string & {});

export interface IpcErrorFields {
  code: IpcErrorCode;
  errno?: number;
  syscall?: string;
  /** The shared memory or semaphore name the error concerns. */
  name?: string;
}

/**
 * The one error class of ipclab. `code` is the errno's name (`EEXIST`) for system errors, or an
 * `ERR_*` code; `name` is the object's name when one is concerned, as in `error.name === '/jobs'`.
 */
export class IpcError extends Error {
  readonly code: IpcErrorCode;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;

  /** `fields` may be left out (as `new Error(message)` allows); the code is then `ERR_IPC`. */
  constructor(message: string, fields?: Partial<IpcErrorFields>) {
    super(typeof message === 'string' ? message : describe(message));
    const given = readFields(fields);
    this.code = typeof given.code === 'string' ? given.code : 'ERR_IPC';
    this.errno = typeof given.errno === 'number' ? given.errno : undefined;
    this.syscall = typeof given.syscall === 'string' ? given.syscall : undefined;
    // Format the stack while the name still reads "IpcError", then record the object's name.
    void this.stack;
    if (typeof given.name === 'string') {
      Object.defineProperty(this, 'name', { value: given.name, enumerable: true, configurable: true, writable: true });
    }
  }

  override toString(): string {
    return `IpcError [${this.code}]: ${this.message}`;
  }
}
/** The fields as given, read once; anything unreadable counts as not given (an error must always be made). */
function readFields(fields: unknown): Partial<IpcErrorFields> {
  if (fields === null || typeof fields !== 'object') return {};
  try {
    const { code, errno, syscall, name } = fields as Partial<IpcErrorFields>;
    return { code, errno, syscall, name };
  } catch {
    return {};
  }
}

Object.defineProperty(IpcError.prototype, 'name', { value: 'IpcError', configurable: true, writable: true });
