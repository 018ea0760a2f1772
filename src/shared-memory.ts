import { IpcError } from './errors.js';
import { atExit, closeAtExit, forgetAtExit } from './exit-hook.js';
import { nativeHandle } from './handles.js';
import { addon, type SharedMemoryHandle } from './native.js';
import { checkBoolean, checkMode, checkOptions, checkSize, normalizeName } from './validate.js';

export interface CreateSharedMemoryOptions {
  /** Permission bits, applied exactly (not masked by the umask). Default `0o600`. */
  mode?: number;
  /** Fail with `EEXIST` when the name exists (default). `false` opens an existing one of the same size. */
  exclusive?: boolean;
  /** Map every page into this process now, so the first accesses do not pay for page faults. Default `false`. */
  populate?: boolean;
  /** Leave the name in place when this creator closes. Default `false`: the creator unlinks. */
  keep?: boolean;
  /**
   * Close (and so unlink) the segment when the process exits normally while it is still open.
   * Default `true` (unless `keep`); `false` leaves it in /dev/shm until someone unlinks it.
   */
  closeOnExit?: boolean;
}

export interface OpenSharedMemoryOptions {
  /** Map read-only: writes through `buffer` are impossible. Default `false`. */
  readOnly?: boolean;
  /** Map every page into this process now (the pages a peer wrote keep their bytes). Default `false`. */
  populate?: boolean;
}

/** A POSIX shared memory segment mapped into this process, exposed as a zero-copy `ArrayBuffer`. */
export class SharedMemory {
  /** The canonical name, with its leading '/'. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  readonly readOnly: boolean;
  /** True when this object created the name (and so unlinks it on close unless `keep`). */
  readonly created: boolean;
  readonly #keep: boolean;
  #handle: SharedMemoryHandle | undefined;

  private constructor(name: string, handle: SharedMemoryHandle, readOnly: boolean, keep: boolean) {
    this.name = name;
    this.#handle = handle;
    this.size = handle.buffer().byteLength;
    this.readOnly = readOnly;
    this.created = handle.created();
    this.#keep = keep;
  }

  /** Creates a segment of `size` bytes, reserved up front so a full /dev/shm fails here with ENOSPC. */
  static create(name: string, size: number, options?: CreateSharedMemoryOptions): SharedMemory {
    const canonical = normalizeName(name);
    checkSize(size);
    const opts = checkOptions<CreateSharedMemoryOptions>(options, 'options', ['mode', 'exclusive', 'populate', 'keep', 'closeOnExit']);
    const mode = opts.mode === undefined ? 0o600 : checkMode(opts.mode);
    const exclusive = checkBoolean(opts.exclusive, 'options.exclusive', true);
    const populate = checkBoolean(opts.populate, 'options.populate', false);
    const keep = checkBoolean(opts.keep, 'options.keep', false);
    const atExit = checkBoolean(opts.closeOnExit, 'options.closeOnExit', true);
    const handle = addon.SharedMemoryHandle.create(canonical, size, mode, exclusive, populate);
    const segment = new SharedMemory(canonical, handle, false, keep);
    if (atExit && segment.created && !keep) closeAtExit(segment);
    return segment;
  }

  /** Opens an existing segment; its size comes from the object itself. */
  static open(name: string, options?: OpenSharedMemoryOptions): SharedMemory {
    const canonical = normalizeName(name);
    const opts = checkOptions<OpenSharedMemoryOptions>(options, 'options', ['readOnly', 'populate']);
    const readOnly = checkBoolean(opts.readOnly, 'options.readOnly', false);
    const populate = checkBoolean(opts.populate, 'options.populate', false);
    return new SharedMemory(canonical, addon.SharedMemoryHandle.open(canonical, readOnly, populate), readOnly, true);
  }

  /** Removes the name; returns false when nothing had it. Mappings stay valid until closed. */
  static unlink(name: string): boolean {
    return addon.SharedMemoryHandle.unlink(normalizeName(name));
  }

  /** The mapping as an `ArrayBuffer`. After `close()` every view over it has length 0. */
  get buffer(): ArrayBuffer {
    return this.#live('read the buffer of').buffer();
  }

  get closed(): boolean {
    return this.#handle === undefined;
  }

  /** Unmaps (after detaching the buffer) and, for the creator, unlinks the name. Idempotent. */
  close(): void {
    const handle = this.#handle;
    if (!handle) return;
    this.#handle = undefined;
    forgetAtExit(this);
    handle.close();
    if (this.created && !this.#keep) addon.SharedMemoryHandle.unlink(this.name);
  }

  /** For the exit hook. */
  [atExit](): void {
    this.close();
  }

  get [nativeHandle](): SharedMemoryHandle {
    return this.#live('use');
  }

  #live(operation: string): SharedMemoryHandle {
    if (!this.#handle) {
      throw new IpcError(`cannot ${operation} shared memory "${this.name}": it is closed`, {
        code: 'ERR_CLOSED',
        name: this.name,
      });
    }
    return this.#handle;
  }
}
