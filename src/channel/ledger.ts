// The sends a producer handle accepted and has not finished yet: close() lets them finish first,
// and names the ones that never reached the ring (README: "Closing a channel").
import { IpcError } from '../errors.js';
import { messageOf } from '../validate.js';

export interface PendingSend {
  /** The call that made it ('send', 'sendMany', 'reserve'...). */
  readonly call: string;
  /** The number of its first message among this handle's sends (from 1), and how many it carries. */
  readonly first: number;
  readonly count: number;
  readonly bytes: number;
  /** What the caller got back: close() adds a handler to it once it reports the send itself. */
  promise?: Promise<unknown>;
}

export class SendLedger {
  readonly pending = new Set<PendingSend>();
  /** Sends that failed after close() was called, with why: close() rejects naming them. */
  readonly #lost: Array<{ send: PendingSend; reason: string }> = [];
  #numbered = 0;
  #closing = false;
  /** Milliseconds after which close() stopped waiting, once it did. */
  #gaveUpAfter: number | undefined;

  get closing(): boolean {
    return this.#closing;
  }

  /** Counts messages sent at once (no promise pending), so later numbers stay true. */
  sentNow(count: number): void {
    this.#numbered += count;
  }

  open(call: string, count: number, bytes: number): PendingSend {
    const send: PendingSend = { call, first: this.#numbered + 1, count, bytes };
    this.#numbered += count;
    this.pending.add(send);
    return send;
  }

  /** The send finished; with `error` it failed, and the error to give its caller is returned. */
  settle(send: PendingSend, error?: { reason: unknown }): unknown {
    this.pending.delete(send);
    if (error === undefined) return undefined;
    if (!this.#closing) return error.reason;
    const reason = messageOf(error.reason);
    this.#lost.push({ send, reason });
    if (this.#gaveUpAfter === undefined) return error.reason;
    return new IpcError(`${describeSend(send)} was not sent: close() stopped waiting for it after ${this.#gaveUpAfter} ms (${reason})`, {
      code: 'ERR_MESSAGES_LOST',
    });
  }

  /** A pending call of this name (the likely cause of a call made too early, as commit() before reserve() resolved). */
  pendingCall(call: string): PendingSend | undefined {
    for (const send of this.pending) if (send.call === call) return send;
    return undefined;
  }

  /** Messages accepted and not yet written. */
  unsentMessages(): number {
    let count = 0;
    for (const send of this.pending) count += send.count;
    return count;
  }

  /** close() was called: it reports the pending sends from now on, so their own rejections need no handler. */
  startClosing(): void {
    this.#closing = true;
    for (const send of this.pending) send.promise?.catch(() => undefined);
  }

  gaveUp(afterMs: number): void {
    this.#gaveUpAfter = afterMs;
  }

  /** Why close() must reject: sends that failed after it was called, and a reservation never committed. */
  lostError(channel: string, uncommitted: boolean): IpcError | undefined {
    const lines = this.#lost.map(({ send, reason }) => `${describeSend(send)}: ${reason}`);
    if (uncommitted) lines.push('a region from reserve() that was never commit()ed');
    if (lines.length === 0) return undefined;
    return new IpcError(`channel "${channel}" closed with ${lines.length} ${lines.length === 1 ? 'send' : 'sends'} lost (the consumer is told): ${lines.join('; ')}`, {
      code: 'ERR_MESSAGES_LOST',
      name: channel,
    });
  }
}

function describeSend(send: PendingSend): string {
  const which = send.count === 1 ? `message ${send.first}` : `messages ${send.first}-${send.first + send.count - 1}`;
  return `${send.call}() of ${which} (${send.bytes} bytes)`;
}
