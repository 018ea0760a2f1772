// The message pattern's check: message k passes whole, and any changed byte, a shorter or longer
// message, or message k+1 in place of k fails, for short messages (compared by a loop) and long
// ones (compared by memcmp), as bytes and as text.
import { describe, expect, it } from 'vitest';

import { MessagePattern, PATTERN_PERIOD } from '../src/bench/messages/loops.js';

describe('MessagePattern.check', () => {
  it.each([1, 8, 32, 33, 1024])('accepts message k whole and refuses any change (%i bytes)', (size) => {
    const pattern = new MessagePattern(size, 'bytes');
    for (const k of [0, 1, PATTERN_PERIOD - 1, PATTERN_PERIOD, 12345]) {
      const message = Uint8Array.from(pattern.message(k) as Uint8Array);
      expect(pattern.check(message, k)).toBeUndefined();
      for (const at of new Set([0, size >> 1, size - 1])) {
        const changed = Uint8Array.from(message);
        changed[at] = changed[at]! ^ 0x40;
        expect(pattern.check(changed, k)).toBe(`message ${k} differs from its pattern (${size} bytes, expected ${size} bytes)`);
      }
      expect(pattern.check(message.subarray(1), k)).toMatch(/differs from its pattern/);
      expect(pattern.check(new Uint8Array(size + 1), k)).toMatch(/differs from its pattern/);
      expect(pattern.check(message, k + 1)).toMatch(/differs from its pattern/);
    }
  });

  it('checks text messages as strings', () => {
    const pattern = new MessagePattern(8, 'text');
    expect(pattern.check(pattern.message(3), 3)).toBeUndefined();
    expect(pattern.check(pattern.message(4), 3)).toBe('message 3 differs from its pattern (8 characters)');
    expect(pattern.check(new Uint8Array(8), 3)).toBe('message 3 differs from its pattern (not text)');
  });
});
