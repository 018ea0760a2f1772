// Runs the built CLI (dist/cli.js, made by the pretest step) as a real process, and the parser alone.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';

import { parseCommandLine } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/usage-error.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = path.join(root, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end; `env` replaces the environment. Resolves with the process id too. */
export function runIpclab(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliRun & { pid: number | undefined }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cliPath, ...args], { cwd: root, env: options.env ?? process.env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: number | string }).code : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr, pid: child.pid });
    });
  });
}

export async function ipclab(...args: string[]): Promise<CliRun> {
  const { code, stdout, stderr } = await runIpclab(args);
  return { code, stdout, stderr };
}

/** The UsageError a command line raises (fails the test when it parses): exit status 2. */
export function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}
