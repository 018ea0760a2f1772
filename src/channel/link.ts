// One handle's hold on a channel segment: making and checking the header (docs/channel-protocol.md,
// "Creating and opening"), the views and native handle both sides use, waking, and closing.
import { IpcError } from '../errors.js';
import { nativeHandle } from '../handles.js';
import { isPid, isProcessAlive } from '../liveness.js';
import { addon, type SharedMemoryHandle } from '../native.js';
import { SharedMemory } from '../shared-memory.js';
import { HandleTable, peerOf, type Role } from './handles.js';
import { layout, word } from './layout.js';
import { SLICE_MS, type WaitContext } from './wait.js';

export class ChannelLink implements WaitContext {
  readonly name: string;
  readonly ringBytes: number;
  readonly spinMicros: number;
  /** The whole segment, and its header as 32-bit words for Atomics. */
  readonly memory: ArrayBuffer;
  readonly header: Int32Array;
  readonly handles: HandleTable;
  /** The segment; none for a link over this process's own memory (see inMemory). */
  readonly #shared: SharedMemory | undefined;
  readonly #segment: SharedMemoryHandle | undefined;
  #closed = false;
  /** When /proc was last asked about the peer: that costs as much as a whole wake-up. */
  #peerCheckedAt = -Infinity;
  /** The addon's watch of the peer's process exit (0: none), and the pid it watches. */
  #exitWatch = 0;
  #exitWatchedPid = 0;

  private constructor(name: string, memory: ArrayBuffer, shared: SharedMemory | undefined, ringBytes: number, spinMicros: number) {
    this.name = name;
    this.#shared = shared;
    this.ringBytes = ringBytes;
    this.spinMicros = spinMicros;
    this.memory = memory;
    this.header = new Int32Array(memory, 0, layout.headerBytes / 4);
    this.#segment = shared?.[nativeHandle];
    this.handles = new HandleTable(memory, name);
  }

  /** The segment's native handle, for the addon's waking and doorbell calls. */
  get segment(): SharedMemoryHandle {
    if (this.#segment === undefined) throw new IpcError(`channel "${this.name}" is in this process's memory and has no segment to wake through`);
    return this.#segment;
  }

  /**
   * A channel over a plain buffer of this process, with no segment: two handles of it can carry
   * messages as long as neither has to wait (ShmChannel#warmUp runs the hot paths over one).
   */
  static inMemory(name: string, ringBytes: number): ChannelLink {
    const memory = new ArrayBuffer(layout.headerBytes + ringBytes);
    writeHeader(memory, ringBytes);
    return new ChannelLink(name, memory, undefined, ringBytes, 0);
  }

  /** A second handle over the same memory as this in-memory link. */
  another(): ChannelLink {
    if (this.#shared !== undefined) throw new IpcError(`channel "${this.name}" is a segment: open it by name`);
    return new ChannelLink(this.name, this.memory, undefined, this.ringBytes, 0);
  }

  /** Makes the segment and writes the header. */
  static create(name: string, ringBytes: number, spinMicros: number, options: { populate: boolean; mode: number }): ChannelLink {
    // The channel closes itself at exit (telling its peer), so its segment need not.
    const shared = SharedMemory.create(name, layout.headerBytes + ringBytes, { ...options, closeOnExit: false });
    try {
      writeHeader(shared.buffer, ringBytes);
      return new ChannelLink(shared.name, shared.buffer, shared, ringBytes, spinMicros);
    } catch (error) {
      shared.close();
      throw error;
    }
  }

  /** Opens a channel another handle made, refusing anything that is not a version 3 channel. */
  static open(name: string, spinMicros: number, options: { populate: boolean }): ChannelLink {
    const shared = SharedMemory.open(name, options);
    try {
      const bad = (why: string) => new IpcError(`"${shared.name}" is not a usable ipclab channel: ${why}`, { code: 'ERR_BAD_CHANNEL', name: shared.name });
      if (shared.size < layout.headerBytes) throw bad(`it is ${shared.size} bytes, smaller than a channel header (${layout.headerBytes})`);
      if (Atomics.load(new Int32Array(shared.buffer, 0, 1), word.magic) !== (layout.magic | 0)) {
        throw bad('no channel magic (not a channel, or its creator has not finished initialising it)');
      }
      const header = new DataView(shared.buffer, 0, layout.headerBytes);
      const version = header.getUint32(layout.versionOffset, true);
      if (version !== layout.version) throw bad(`layout version ${version}, this ipclab reads version ${layout.version}`);
      const ringBytes = header.getUint32(layout.ringBytesOffset, true);
      if (!isRingSize(ringBytes) || layout.headerBytes + ringBytes > shared.size) {
        throw bad(`its header says the ring is ${ringBytes} bytes; expected a power of two from ${layout.minRingBytes} to 2^30 that fits its ${shared.size} bytes`);
      }
      return new ChannelLink(shared.name, shared.buffer, shared, ringBytes, spinMicros);
    } catch (error) {
      shared.close();
      throw error;
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The waker's step for the side whose waiting word is at `waitingOffset` (a no-op when it does not sleep). */
  wake(waitingOffset: number): void {
    addon.wakeWaiter(this.segment, waitingOffset);
  }

  /**
   * Closes this handle's sides (each sets its state bit and publishes its counter; a producer first
   * records `unsent`, the sends it gives up), marks the handle
   * closed, wakes any sleeper on either line, so a peer asleep in a wait (and a wait of this
   * handle) returns at once, then unmaps; the creator also unlinks the name. Idempotent.
   */
  close(sides: ReadonlyArray<{ close(unsent: number): void } | undefined> = [], unsent = 0): void {
    if (this.#closed) return;
    // A ring or a doorbell a peer scribbled over cannot stop close(): its IpcError is dropped.
    const tolerant = (action: () => void) => {
      try {
        action();
      } catch (error) {
        if (!(error instanceof IpcError)) throw error;
      }
    };
    try {
      for (const side of sides) tolerant(() => side?.close(unsent));
      this.handles.close();
      for (const [index, offset] of [
        [word.consumerWaiting, layout.consumerWaitingOffset],
        [word.producerWaiting, layout.producerWaitingOffset],
      ] as const) {
        tolerant(() => {
          if (Atomics.load(this.header, index) !== 0) this.wake(offset);
        });
      }
    } finally {
      this.#closed = true;
      this.#unwatchPeerExit();
      this.#shared?.close();
    }
  }

  /**
   * Whether this event loop's doorbell rings when the process holding `role`'s peer role exits,
   * watching it from now on when it can: not without pidfd_open (Linux before 5.3), nor for a
   * peer in this process.
   */
  peerExitWatched(role: Role): boolean {
    const peer = this.handles.peerProcess(role);
    if (peer !== undefined && peer.pid === this.#exitWatchedPid && addon.watchingProcessExit(this.#exitWatch)) return true;
    this.#unwatchPeerExit();
    if (peer === undefined || peer.pid === process.pid || !isPid(peer.pid)) return false;
    const token = addon.watchProcessExit(peer.pid);
    if (token === 0) return false;
    this.#exitWatch = token;
    this.#exitWatchedPid = peer.pid;
    // The watch was opened by pid: only the start time in the table tells the peer from a younger process with its pid.
    if (isProcessAlive(peer.pid, peer.startTime)) return true;
    this.#unwatchPeerExit();
    return false;
  }

  #unwatchPeerExit(): void {
    if (this.#exitWatch !== 0) addon.unwatchProcessExit(this.#exitWatch);
    this.#exitWatch = 0;
    this.#exitWatchedPid = 0;
  }

  closedError(): IpcError {
    return new IpcError(`channel "${this.name}" is closed`, { code: 'ERR_CLOSED', name: this.name });
  }

  /** A call made after close(), while close() lets the pending sends finish. */
  closingError(call: string): IpcError {
    return new IpcError(`cannot ${call}() on channel "${this.name}": close() was called (it lets the sends before it finish, and takes no new ones)`, {
      code: 'ERR_CLOSED',
      name: this.name,
    });
  }

  wrongState(message: string): IpcError {
    return new IpcError(`${message} (channel "${this.name}")`, { code: 'ERR_WRONG_STATE', name: this.name });
  }

  /**
   * Why the peer of `role` will never act: its closed bit in the header, or (`thorough`, or at most
   * once per wait slice) a handle table that says its process is gone.
   */
  peerGone(role: Role, thorough: boolean): IpcError | undefined {
    const peer = peerOf(role);
    if (Atomics.load(this.header, word.state) & (peer === 'producer' ? layout.producerClosed : layout.consumerClosed)) {
      const unsent = peer === 'producer' ? Atomics.load(this.header, word.unsent) >>> 0 : 0;
      if (unsent === 0) return new IpcError(`the ${peer} closed channel "${this.name}"`, { code: 'ERR_CHANNEL_CLOSED', name: this.name });
      return new IpcError(
        `the producer closed channel "${this.name}" with ${unsent} ${unsent === 1 ? 'send' : 'sends'} it never wrote: the messages before them arrived, those did not`,
        { code: 'ERR_MESSAGES_LOST', name: this.name },
      );
    }
    if (!thorough && performance.now() - this.#peerCheckedAt < SLICE_MS) return undefined;
    this.#peerCheckedAt = performance.now();
    return this.handles.peerGone(role);
  }
}

/** Writes a version 3 header for a ring of `ringBytes`; the magic goes last, so a peer that sees it sees the rest. */
function writeHeader(memory: ArrayBuffer, ringBytes: number): void {
  const header = new DataView(memory, 0, layout.headerBytes);
  header.setUint32(layout.versionOffset, layout.version, true);
  header.setUint32(layout.ringBytesOffset, ringBytes, true);
  Atomics.store(new Int32Array(memory, 0, 1), word.magic, layout.magic | 0);
}

export function isRingSize(bytes: number): boolean {
  return Number.isInteger(bytes) && bytes >= layout.minRingBytes && bytes <= layout.maxRingBytes && (bytes & (bytes - 1)) === 0;
}
