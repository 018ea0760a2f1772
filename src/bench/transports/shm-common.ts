// Pieces shared by the shared-memory transports: channel naming and payload element types.
import { ShmChannel } from '../../channel.js';
import { isJsArrayPayload, rawWireType, typedConstructorOf, type WireType } from '../payload.js';
import type { CaseSpec, SideContext } from '../side.js';

export const CHANNEL_SUFFIX = '-ch';

export function channelName(ctx: SideContext): string {
  return `${ctx.objectPrefix}${CHANNEL_SUFFIX}`;
}

/** The typed array type elements travel as where space is sized before the values are seen (an `array` payload travels as int32). */
export function wireType(spec: CaseSpec): WireType {
  return typedConstructorOf(spec.payload);
}

/**
 * wireType(spec), once the sender has checked that it carries every value of `values` exactly: a
 * JS Array announced as `array` whose values are not all int32 fails the case with the reason
 * (the space was sized for int32), instead of being changed on the way.
 */
export function checkedWireType(spec: CaseSpec, values: readonly unknown[]): WireType {
  const type = wireType(spec);
  if (type === Int32Array && rawWireType(values) !== Int32Array) {
    const index = values.findIndex((value) => (Number(value) | 0) !== value || Object.is(value, -0));
    throw new RangeError(
      `element ${index} (${String(values[index])}) is not an int32, and this ${spec.transport} case sized its shared memory for the int32 values an \`${spec.payload}\` payload holds`,
    );
  }
  return type;
}

export function wireBytes(spec: CaseSpec): number {
  return spec.elements * wireType(spec).BYTES_PER_ELEMENT;
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

/** Copies a raw path adds for a JS Array payload: the cast to the wire type and the rebuild of the Array. */
export function castCopies(spec: CaseSpec): number {
  return spec.codec === 'raw' && isJsArrayPayload(spec.payload) ? 2 : 0;
}

/** Int32 can hold the `array` payload's integers only below 2^31. */
export function int32Limit(spec: CaseSpec): string | undefined {
  if (spec.payload === 'array' && spec.elements > 2 ** 31) return 'array elements above 2^31 do not fit the int32 wire type';
  return undefined;
}
