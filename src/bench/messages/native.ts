// The native reference: native/reference/main.cpp, built by both build systems next to the addon,
// runs both loops in C++ over ShmChannel protocol v3 as the channel core (native/core/channel.hpp)
// speaks it, with the same copies as ShmChannel: into the ring, out into a reused page-aligned
// buffer. The server side starts `ipclab-reference ... serve` and waits for its "ready"; the client
// side runs `... drive`. Each prints one JSON line with its verdict and timings.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { BUILD_FROM_SOURCE, loadedAddonPath } from '../../native.js';
import type { DriveOutcome, MessageSideContext, MessageTransport, ServeOutcome } from '../side.js';

/** The executable the build put beside the addon it loaded (build/Release or build-cmake/Release). */
export function referencePath(): string {
  return path.join(path.dirname(loadedAddonPath), 'ipclab-reference');
}

/**
 * Throughput streams in batches (sendMany/receiveMany) of up to BATCH_MESSAGES messages and
 * BATCH_BYTES bytes. Measured here (medians of 7): 8 B, 64 a batch 60 M msgs/s against 57 M one per
 * call; 1 KiB, 16 a batch 13.4 GB/s against 12.0; 64 KiB, batches of 4 lost to one per call (12.4
 * against 13.1 GB/s): a large batch leaves the receiver's buffer, and its check, out of cache.
 */
const BATCH_MESSAGES = 64;
const BATCH_BYTES = 16 * 1024;

/** Messages per sendMany/receiveMany in a throughput stream of `messageBytes` messages. */
export function throughputBatch(messageBytes: number): number {
  return Math.max(1, Math.min(BATCH_MESSAGES, Math.floor(BATCH_BYTES / messageBytes)));
}

function start(ctx: MessageSideContext, role: 'serve' | 'drive'): ChildProcess {
  const executable = referencePath();
  if (!existsSync(executable)) {
    throw new Error(`the native reference is not beside the addon this run loaded (no ${executable}); build both from source (a C++ compiler, make and python3 needed): ${BUILD_FROM_SOURCE}`);
  }
  const { mode, messageBytes, messages, warmup } = ctx.spec;
  const args = [mode, role, '--name', `${ctx.objectPrefix}-ref`, '--bytes', String(messageBytes), '--count', String(messages), '--warmup', String(warmup)];
  const batch = mode === 'throughput' ? ['--batch', String(throughputBatch(messageBytes))] : [];
  const spin = ctx.spec.spinMicros === null ? [] : ['--spin-micros', String(ctx.spec.spinMicros)];
  return spawn(executable, [...args, ...batch, ...spin], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the process's lines once it exits; rejects with its stderr when it fails. */
function linesUntilExit(child: ChildProcess, onLine: (line: string) => void = () => undefined): Promise<string[]> {
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    onLine(line);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // Exit status 1 with a verdict line is a mismatch, reported as such; anything else failed.
      if (code === 0 || (code === 1 && lines.some((line) => line.startsWith('{')))) resolve(lines);
      else reject(new Error(`ipclab-reference ${signal ? `was killed by ${signal}` : `exited with code ${code}`}: ${stderr.trim() || 'no message'}`));
    });
  });
}

function verdict<T>(lines: string[]): T {
  const line = [...lines].reverse().find((candidate) => candidate.startsWith('{'));
  if (line === undefined) throw new Error('ipclab-reference printed no result');
  return JSON.parse(line) as T;
}

export const nativeMessageTransport: MessageTransport = {
  id: 'native',
  mechanism:
    'C++ (native/reference) over the channel core: ShmChannel v3, memcpy in and out; throughput in sendMany/receiveMany batches, spinning 2 µs before a sleep unless --spin-micros says otherwise; no Node',
  topology: 'pair',
  spins: true,

  async openServer(ctx) {
    const child = start(ctx, 'serve');
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const done = linesUntilExit(child, (line) => line === 'ready' && onReady());
    done.catch(() => undefined); // a failure before serve() is reported by the race below or by serve()
    await Promise.race([ready, done]);
    return {
      serve: async () => verdict<ServeOutcome>(await done),
      close() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  },

  async openClient(ctx) {
    return {
      drive: async () => verdict<DriveOutcome>(await linesUntilExit(start(ctx, 'drive'))),
      close: () => undefined,
    };
  },
};
