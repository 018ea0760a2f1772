// A channel's handle table (layout in native/core/channel_layout.hpp): who has the channel open,
// in which role, and whether the process behind each handle still runs. Roles belong to handles,
// so a second producer or consumer is refused even in the same process or a worker thread.
import { IpcError } from '../errors.js';
import { isProcessAlive, ownStartTime } from '../liveness.js';
import { layout } from './layout.js';

export type Role = 'producer' | 'consumer';

const roleBit: Record<Role, number> = { producer: layout.handleProducer, consumer: layout.handleConsumer };
/** The role at the other end of the ring from `role`. */
export const peerOf = (role: Role): Role => (role === 'producer' ? 'consumer' : 'producer');
/** Longest wait for another process to finish editing the table; only a hung or hostile peer takes this long. */
const LOCK_WAIT_MS = 2000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

interface Handle {
  index: number;
  pid: number;
  flags: number;
  startTime: bigint;
}

/** Whether a handle's process runs (not a zombie, not a newer process with a reused pid): a read of /proc, so asked only when it matters. */
const alive = (handle: Handle): boolean => handle.pid !== 0 && isProcessAlive(handle.pid, handle.startTime);

export class HandleTable {
  readonly #words: Int32Array;
  readonly #startTimes: BigInt64Array;
  readonly #channel: string;
  readonly #own: number;

  /** Adds this handle to the table of the channel header in `buffer`. */
  constructor(buffer: ArrayBuffer, channel: string) {
    this.#words = new Int32Array(buffer, 0, layout.headerBytes / 4);
    this.#startTimes = new BigInt64Array(buffer, 0, layout.headerBytes / 8);
    this.#channel = channel;
    this.#own = this.#locked(() => {
      const handles = this.#handles();
      const free = handles.find((handle) => handle.pid === 0) ?? handles.find((handle) => handle.flags & layout.handleClosed || !alive(handle));
      if (!free) {
        throw new IpcError(`channel "${channel}" already has ${layout.maxHandles} open handles; close one first`, {
          code: 'ERR_WRONG_STATE',
          name: channel,
        });
      }
      // The start time goes in before the pid: whoever reads the pid then reads the matching start time.
      Atomics.store(this.#words, this.#wordIndex(free.index, layout.handlePidOffset), 0);
      Atomics.store(this.#words, this.#wordIndex(free.index, layout.handleFlagsOffset), 0);
      Atomics.store(this.#startTimes, this.#startIndex(free.index), ownStartTime);
      Atomics.store(this.#words, this.#wordIndex(free.index, layout.handlePidOffset), process.pid);
      return free.index;
    });
  }

  /**
   * Makes this handle the channel's `role`; refused while another open handle of a running process
   * holds it, and for good once a holder closed it (its state bit stays set: the peer has ended).
   */
  claim(role: Role): void {
    this.#locked(() => {
      const closedBit = role === 'producer' ? layout.producerClosed : layout.consumerClosed;
      if (Atomics.load(this.#words, layout.stateOffset / 4) & closedBit) {
        throw new IpcError(`the ${role} of channel "${this.#channel}" closed it, and a closed role cannot be taken over; open a new channel for a new stream`, {
          code: 'ERR_CHANNEL_CLOSED',
          name: this.#channel,
        });
      }
      const holder = this.#handles().find(
        (handle) => handle.index !== this.#own && handle.flags & roleBit[role] && !(handle.flags & layout.handleClosed) && alive(handle),
      );
      if (holder) {
        const where = holder.pid === process.pid ? 'another handle in this process (or one of its worker threads)' : `process ${holder.pid}`;
        throw new IpcError(`channel "${this.#channel}" already has a ${role}: ${where}; a channel has one producer and one consumer`, {
          code: 'ERR_WRONG_STATE',
          name: this.#channel,
        });
      }
      Atomics.or(this.#words, this.#wordIndex(this.#own, layout.handleFlagsOffset), roleBit[role]);
    });
  }

  /** Marks this handle closed; its entry stays so that a peer sees the channel was left. */
  close(): void {
    Atomics.or(this.#words, this.#wordIndex(this.#own, layout.handleFlagsOffset), layout.handleClosed);
  }

  /**
   * Why `role`'s peer can never come or answer: the handle holding the other role is closed or its
   * process is dead, or no one holds it and every other handle is closed or dead. Undefined while
   * a peer may still act (including when no other handle ever opened the channel).
   */
  peerGone(role: Role): IpcError | undefined {
    const peerRole = peerOf(role);
    const others = this.#others();
    const open = (handle: Handle) => !(handle.flags & layout.handleClosed) && alive(handle);
    const peers = others.filter((handle) => handle.flags & roleBit[peerRole]);
    const candidates = peers.length > 0 ? peers : others;
    if (candidates.length === 0 || candidates.some(open)) return undefined;
    const dead = candidates.filter((handle) => !alive(handle)).map((handle) => handle.pid);
    const who = peers.length > 0 ? `the ${peerRole} of channel "${this.#channel}"` : `every other handle of channel "${this.#channel}"`;
    if (dead.length > 0) {
      return new IpcError(`${who} (pid ${dead.join(', ')}) has exited${peers.length > 0 ? '' : ` without becoming its ${peerRole}`}`, {
        code: 'ERR_PEER_GONE',
        name: this.#channel,
      });
    }
    return new IpcError(`${who} was closed${peers.length > 0 ? '' : ` without becoming its ${peerRole}`}`, {
      code: 'ERR_CHANNEL_CLOSED',
      name: this.#channel,
    });
  }

  /** The process of the open handle holding `role`'s peer role, if one does (alive or not: that costs a read of /proc). */
  peerProcess(role: Role): { pid: number; startTime: bigint } | undefined {
    const peer = this.#others().find((handle) => handle.flags & roleBit[peerOf(role)] && !(handle.flags & layout.handleClosed));
    return peer && { pid: peer.pid, startTime: peer.startTime };
  }

  /** Every other handle in use (its pid set). */
  #others(): Handle[] {
    return this.#handles().filter((handle) => handle.index !== this.#own && handle.pid !== 0);
  }

  #wordIndex(entry: number, field: number): number {
    return (layout.handleTableOffset + entry * layout.handleEntrySize + field) / 4;
  }

  #startIndex(entry: number): number {
    return (layout.handleTableOffset + entry * layout.handleEntrySize + layout.handleStartTimeOffset) / 8;
  }

  #handles(): Handle[] {
    const handles: Handle[] = [];
    for (let index = 0; index < layout.maxHandles; index++) {
      const pid = Atomics.load(this.#words, this.#wordIndex(index, layout.handlePidOffset));
      const flags = Atomics.load(this.#words, this.#wordIndex(index, layout.handleFlagsOffset));
      const startTime = Atomics.load(this.#startTimes, this.#startIndex(index));
      handles.push({ index, pid, flags, startTime });
    }
    return handles;
  }

  /** Runs `edit` holding the table's lock word (the holder's pid, taken over when that process is dead). */
  #locked<T>(edit: () => T): T {
    const lock = layout.handleTableLockOffset / 4;
    const deadline = performance.now() + LOCK_WAIT_MS;
    for (;;) {
      const holder = Atomics.compareExchange(this.#words, lock, 0, process.pid);
      if (holder === 0) break;
      if (!isProcessAlive(holder) && Atomics.compareExchange(this.#words, lock, holder, process.pid) === holder) break;
      if (performance.now() > deadline) {
        throw new IpcError(`channel "${this.#channel}" stayed locked by process ${holder} for ${LOCK_WAIT_MS} ms (a hung peer, or a corrupted header)`, {
          code: 'ERR_TIMEOUT',
          name: this.#channel,
        });
      }
      Atomics.wait(sleeper, 0, 0, 1);
    }
    try {
      return edit();
    } finally {
      Atomics.compareExchange(this.#words, lock, process.pid, 0);
    }
  }
}
