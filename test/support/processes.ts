// Runs fixture scripts (test/fixtures/*.mjs, against the compiled dist/) in real child processes.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts test/fixtures/<script> with an IPC channel; the child's own flags, not the runner's. */
export function startFixture(script: string, args: string[] = []): ChildProcess {
  return fork(path.join(fixtures, script), args, { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
}

/** Resolves once the child has exited and its output is all read ('close', not 'exit', which can come first). */
export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Runs a fixture to its end. */
export async function runFixture(script: string, args: string[] = []): Promise<Finished> {
  return finished(startFixture(script, args));
}

export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`child exited (code ${code}) before sending a message`)));
  });
}

/** Runs a command (python3) to its end. */
export function runCommand(command: string, args: string[]): Promise<Finished> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return finished(child);
}
