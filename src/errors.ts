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
  | 'ERR_TIMEOUT'
  | 'ERR_WRONG_STATE'
  | 'ERR_ADDON_NOT_BUILT'
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

  constructor(message: string, fields: IpcErrorFields) {
    super(message);
    this.code = fields.code;
    this.errno = fields.errno;
    this.syscall = fields.syscall;
    // Format the stack while the name still reads "IpcError", then record the object's name.
    void this.stack;
    if (fields.name !== undefined) {
      Object.defineProperty(this, 'name', { value: fields.name, enumerable: true, configurable: true, writable: true });
    }
  }

  override toString(): string {
    return `IpcError [${this.code}]: ${this.message}`;
  }
}
Object.defineProperty(IpcError.prototype, 'name', { value: 'IpcError', configurable: true, writable: true });
