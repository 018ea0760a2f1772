// The addon itself re-checks its arguments: whatever JS passes, it throws a TypeError or
// RangeError and never crashes the process.
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { addon, loadedAddonPath } from '../src/native.js';

const garbage: unknown[] = [undefined, null, -1, 2 ** 60, Number.NaN, 1.5, '', 'a/b', {}, [], () => 0, Symbol('s'), 10n];

function errorOf(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('the native layer', () => {
  it('is the build IPCLAB_ADDON names, when set', () => {
    if (process.env.IPCLAB_ADDON) expect(loadedAddonPath).toBe(path.resolve(process.env.IPCLAB_ADDON));
    expect(loadedAddonPath).toMatch(/ipclab\.node$/);
  });

  it('rejects wrong arguments to every entry point with TypeError or RangeError', () => {
    const calls: Array<(value: unknown) => unknown> = [
      (v) => addon.SharedMemoryHandle.create(v as string, 64, 0o600, true, false),
      (v) => addon.SharedMemoryHandle.create('/ipclab-never', v as number, 0o600, true, false),
      (v) => addon.SharedMemoryHandle.create('/ipclab-never', 64, v as number, true, false),
      (v) => addon.SharedMemoryHandle.create('/ipclab-never', 64, 0o600, v as boolean, false),
      (v) => addon.SharedMemoryHandle.open(v as string, false, false),
      (v) => addon.SharedMemoryHandle.open('/ipclab-never', false, v as boolean),
      (v) => addon.SharedMemoryHandle.unlink(v as string),
      (v) => addon.SemaphoreHandle.create(v as string, 0, 0o600, true),
      (v) => addon.SemaphoreHandle.create('/ipclab-never', v as number, 0o600, true),
      (v) => addon.SemaphoreHandle.createIn(v as never, 0, 0),
      (v) => addon.SemaphoreHandle.openIn(v as never, 0),
      (v) => addon.measureMemcpy(v as number),
      (v) => addon.setErrorClass(v as never),
      (v) => addon.unwatchProcessExit(addon.watchProcessExit(v as number)),
      (v) => addon.watchingProcessExit(v as number),
      (v) => addon.unwatchProcessExit(v as number),
      (v) => new (addon.SharedMemoryHandle as unknown as new (value: unknown) => unknown)(v),
      (v) => new (addon.SemaphoreHandle as unknown as new (value: unknown) => unknown)(v),
    ];
    for (const call of calls) {
      for (const value of garbage) {
        const error = errorOf(() => call(value));
        if (error === undefined) continue; // a value that happens to be valid for that argument
        expect([TypeError, RangeError].some((type) => error instanceof type) || (error as { code?: string }).code !== undefined).toBe(true);
      }
    }
  });
});
