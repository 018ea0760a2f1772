// Comparing values that crossed a channel or V8's value format.

function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Equal as sent: prototypes, key order, view types and bytes, and Object.is for everything else.
 * Compared as graphs: an object met again (a cycle, or one object referenced twice, which V8's value
 * format keeps) must pair with the same counterpart as before.
 */
export function same(a: unknown, b: unknown, paired = new Map<object, object>()): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  const earlier = paired.get(a);
  if (earlier !== undefined) return earlier === b;
  paired.set(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) return ArrayBuffer.isView(b) && bytesOf(a).equals(bytesOf(b));
  const [keysA, keysB] = [Object.keys(a), Object.keys(b)];
  if (keysA.join('\u0000') !== keysB.join('\u0000') || (Array.isArray(a) && a.length !== (b as unknown[]).length)) return false;
  return keysA.every((name) => same((a as Record<string, unknown>)[name], (b as Record<string, unknown>)[name], paired));
}
