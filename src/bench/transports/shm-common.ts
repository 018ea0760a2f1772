// Pieces shared by the shared-memory transports: channel naming, creating and opening, ring sizes.
import { ShmChannel } from '../../channel/channel.js';
import type { SideContext } from '../side.js';

export const CHANNEL_SUFFIX = '-ch';

export function channelName(ctx: SideContext): string {
  return `${ctx.objectPrefix}${CHANNEL_SUFFIX}`;
}

/**
 * The receiver creates the channel before the barrier; the sender opens it. `populate` maps its
 * pages into that side's process before the barrier, like the zero-filled RawArray of Python's row:
 * for a ring reused all along, so neither side's first pass pays a fault per page while the
 * receiver faults in its own memory. A ring that holds the whole payload is not populated: writing
 * it is the transfer.
 */
export function createChannel(ctx: SideContext, ringBytes: number, populate = false): ShmChannel {
  return ShmChannel.create(channelName(ctx), { ringBytes, populate });
}

export function openChannel(ctx: SideContext, populate = false): ShmChannel {
  return ShmChannel.open(channelName(ctx), { populate });
}

/** The smallest ring (a power of two, at least 4096 bytes) whose records hold `bytes` in one, or undefined past the largest ring. */
export function ringHolding(bytes: number): number | undefined {
  const recordBytes = Math.ceil((bytes + 8) / 8) * 8;
  const ringBytes = Math.max(4096, 2 ** Math.ceil(Math.log2(2 * recordBytes)));
  return ringBytes <= 2 ** 30 ? ringBytes : undefined;
}
