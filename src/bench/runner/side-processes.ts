// The processes of one repetition: each side started as a process group of its own (Node's
// case-process.js or the Python case script), the tail of its stderr kept to explain a failure,
// and every group killed, or awaited until it is empty, at the end.
import { spawn, type ChildProcess } from 'node:child_process';

import { isProcessAlive } from '../../liveness.js';
import { CASE_ENV, caseProcessEntry, type CaseInfo } from '../control.js';
import { pythonCaseScript, pythonCommand } from '../python.js';
import type { Runtime } from '../side.js';

/** How long a process may take to exit on its own, or to die once killed. */
export const KILL_GRACE_MS = 2000;
const STDERR_TAIL_BYTES = 2000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** How a side's process ended: its code or signal, and the last lines it has written on stderr. */
export interface SideExit {
  how: string;
  stderrTail(): string;
}

export class SideProcesses {
  readonly #children: ChildProcess[] = [];

  get count(): number {
    return this.#children.length;
  }

  /**
   * Starts one side with `info` in its environment; a Python side's temporary files (a Manager's
   * socket folder) go in the case folder. `onExit` hears how it ended.
   */
  start(info: CaseInfo, runtime: Runtime, onExit: (exit: SideExit) => void): void {
    const env = { ...process.env, [CASE_ENV]: JSON.stringify(info) };
    const python = runtime === 'python';
    const [command, args] = python ? [pythonCommand(), ['-u', pythonCaseScript]] : [process.execPath, [...info.nodeFlags, caseProcessEntry]];
    const child = spawn(command, args, { env: python ? { ...env, TMPDIR: info.caseDir } : env, stdio: ['ignore', 'inherit', 'pipe'], detached: true });
    this.#children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL_BYTES);
    });
    child.on('exit', (code, signal) => {
      onExit({ how: signal ? `was killed by ${signal}` : `exited with code ${code}`, stderrTail: () => stderr.trim().split('\n').slice(-3).join(' | ') });
    });
  }

  /** Whether a child has died without its exit event heard yet (the kernel knows before Node tells). */
  get deathUnheard(): boolean {
    return this.#children.some((child) => child.exitCode === null && child.signalCode === null && child.pid !== undefined && !isProcessAlive(child.pid));
  }

  /** Kills every side's process group: forked receivers, brokers and Python's helpers too. */
  killAll(): void {
    this.#children.forEach(killGroup);
  }

  /** Kills every group and waits (briefly, synchronously: an interrupt cannot wait for events) until each child is dead. */
  killAndAwait(): void {
    this.killAll();
    const deadline = performance.now() + KILL_GRACE_MS;
    while (this.#children.some((child) => child.pid !== undefined && isProcessAlive(child.pid)) && performance.now() < deadline) {
      Atomics.wait(sleeper, 0, 0, 5);
    }
  }

  /**
   * Resolves once every side has exited, and every process it started (a forked receiver, a
   * Manager, Python's resource tracker) has too: what is still there after the grace period is killed.
   */
  async exited(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const grace = setTimeout(() => killGroup(child), KILL_GRACE_MS);
            child.once('exit', () => {
              clearTimeout(grace);
              resolve();
            });
          }),
      ),
    );
    const started = performance.now();
    let killed = false;
    while (this.#children.some(groupHasProcesses)) {
      const waited = performance.now() - started;
      if (waited > 2 * KILL_GRACE_MS) break; // a process that cannot be killed is not waited for forever
      if (waited > KILL_GRACE_MS && !killed) {
        this.killAll();
        killed = true;
      }
      await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
    }
  }
}

const GROUP_POLL_MS = 10;

/** Whether any process of the child's group is still there (a SIGKILLed one takes a moment to go). */
function groupHasProcesses(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Kills the child's whole process group, even when the child itself has already exited (a crashed sender leaves its receiver). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already empty
  }
}
