// Processes that tests kill: started directly, or as a zombie-to-be (a child of a parent that
// never reaps it, so after SIGKILL it stays in /proc in state Z until that parent goes).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface Victim {
  /** The fixture's own pid. */
  pid: number;
  /** The process the test started (the fixture itself, or its never-reaping parent). */
  child: ChildProcess;
  output(): string;
  /** Kills the fixture with SIGKILL (and not its parent). */
  kill(): void;
  /** Ends everything the victim left (reaps a zombie by ending its parent). */
  dispose(): Promise<void>;
}

/** Starts test/fixtures/<script> and resolves once it printed "ready <pid>". */
export async function startVictim(script: string, args: string[], options: { zombie?: boolean } = {}): Promise<Victim> {
  const fixture = [process.execPath, path.join(fixtures, script), ...args];
  // exec replaces the shell with a sleep that never waits for its children: the fixture stays a zombie.
  const child = options.zombie
    ? spawn('sh', ['-c', '"$@" & exec sleep 600', 'victim', ...fixture], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(fixture[0]!, fixture.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const pid = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      text += chunk;
      const ready = /ready (\d+)/.exec(text);
      if (ready) resolve(Number(ready[1]));
    });
    child.once('exit', (code, signal) => reject(new Error(`${script} ended (${signal ?? code}) before it was ready: ${text}`)));
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    pid,
    child,
    output: () => text,
    kill: () => process.kill(pid, 'SIGKILL'),
    dispose: async () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The state letter of /proc/<pid>/stat (R, S, Z, ...), or undefined once the pid is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Waits until the pid is a zombie or gone (SIGKILL is delivered asynchronously). */
export async function waitUntilDead(pid: number): Promise<string | undefined> {
  for (;;) {
    const state = processState(pid);
    if (state === undefined || state === 'Z') return state;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
