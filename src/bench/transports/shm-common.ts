// Pieces shared by the shared-memory transports: channel naming, creating and opening.
import { ShmChannel } from '../../channel.js';
import type { SideContext } from '../side.js';

export const CHANNEL_SUFFIX = '-ch';

export function channelName(ctx: SideContext): string {
  return `${ctx.objectPrefix}${CHANNEL_SUFFIX}`;
}

/**
 * The receiver creates the channel before the barrier; the sender opens it. `populate` maps its
 * pages into that side's process before the barrier, like the zero-filled RawArray of Python's row:
 * for a fixed ring of slots, reused all along, so neither side's first pass pays a fault per page
 * while the receiver faults in its own memory. A whole-payload segment is not populated: writing it
 * is the transfer.
 */
export function createChannel(ctx: SideContext, slotSize: number, slots: number, populate = false): ShmChannel {
  return ShmChannel.create(channelName(ctx), { slotSize: Math.max(slotSize, 64), slots, populate });
}

export function openChannel(ctx: SideContext, populate = false): ShmChannel {
  return ShmChannel.open(channelName(ctx), { populate });
}
