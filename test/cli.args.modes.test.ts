// `ipclab bench --mode latency|throughput`: sizes in bytes, the message options, and flags that
// belong to the other mode refused with a sentence saying so.
import { describe, expect, it } from 'vitest';

import { MESSAGE_SIZES } from '../src/bench/defaults.js';
import { parseCommandLine } from '../src/cli/args.js';
import { parseMessageBytes } from '../src/cli/values.js';
import { usageError } from './support/cli.js';

describe('command line: bench modes', () => {
  it('defaults a message mode to 8 B, 1 KiB, 64 KiB and 1 MiB, no spinning', () => {
    expect(parseCommandLine(['bench', '--mode', 'latency'])).toEqual({
      name: 'bench',
      mode: 'latency',
      options: { sizes: MESSAGE_SIZES, spinMicros: null, repeat: 3, timeoutSeconds: 120 },
      transportNames: undefined,
      format: 'table',
      out: undefined,
      allowErrors: false,
      wide: false,
      python: false,
    });
    expect(MESSAGE_SIZES).toEqual([8, 1024, 65536, 1048576]);
  });

  it('reads sizes in bytes and the message options', () => {
    const request = parseCommandLine(['bench', '--mode=throughput', '--sizes', '8,1e3,64KiB,1MiB,10^2', '--messages', '500', '--warmup', '0', '--spin-micros', '50', '--transports', 'shm,native']);
    expect(request).toMatchObject({
      mode: 'throughput',
      options: { sizes: [8, 1000, 65536, 1048576, 100], messages: 500, warmup: 0, spinMicros: 50 },
      transportNames: ['shm', 'native'],
    });
    expect(parseCommandLine(['bench', '--mode', 'bulk'])).not.toHaveProperty('mode');
    expect(parseCommandLine(['bench', '--mode', 'throughput', '--python'])).toMatchObject({ mode: 'throughput', python: true });
  });

  it('refuses bad sizes, bad counts and flags of the other mode', () => {
    expect(parseMessageBytes('2KiB')).toBe(2048);
    expect(usageError(['bench', '--mode', 'latency', '--sizes', '0']).message).toMatch(/^--sizes: "0" is not a message size/);
    expect(usageError(['bench', '--mode', 'latency', '--sizes', '1GiB']).message).toMatch(/^--sizes: "1GiB" is not a message size/);
    expect(usageError(['bench', '--mode', 'fast']).message).toMatch(/^--mode: unknown value "fast"/);
    expect(usageError(['bench', '--mode', 'latency', '--messages', '0']).message).toMatch(/^--messages expects a positive whole number/);
    expect(usageError(['bench', '--mode', 'latency', '--spin-micros', '-5']).message).toMatch(/^--spin-micros expects/);
    expect(usageError(['bench', '--mode', 'latency', '--payloads', 'int32']).message).toMatch(/^--payloads applies to --mode bulk only/);
    expect(usageError(['bench', '--spin-micros', '10']).message).toMatch(/^--spin-micros applies to --mode latency and --mode throughput only/);
  });
});
