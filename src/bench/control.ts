// The protocol between the harness and each side of a case: how a side is started (the entry it
// runs, its case in IPCLAB_CASE), and the control channel it then talks over: newline-delimited
// JSON over a Unix socket, separate from every data path. The Python side
// (src/bench/python/ipclab_side.py) speaks it too.
import net from 'node:net';

import type { Role } from './ids.js';
import { distEntry } from './paths.js';
import type { CaseSpec, MessageCaseSpec, SideReport } from './side.js';

/** The environment variable that carries a side's CaseInfo, as JSON. */
export const CASE_ENV = 'IPCLAB_CASE';

/** The program a Node side runs (a worker thread side runs it too, with the CaseInfo in workerData). */
export const caseProcessEntry = distEntry('bench/case-process.js');

/** The case description a side is started with. */
export interface CaseInfo {
  role: Role;
  /** A bulk case, or a message case (`mode` latency or throughput). */
  spec: CaseSpec | MessageCaseSpec;
  objectPrefix: string;
  caseDir: string;
  shmDir: string;
  controlPath: string;
  /** The Node flags this side was started with; a forked receiver gets the same. */
  nodeFlags: string[];
  /** Started alongside its receiver: open nothing until the harness says the receiver is ready. */
  awaitSetup?: boolean;
}

/**
 * The messages, in the order a repetition sees them: each side says `hello` once connected and
 * `ready` at the barrier; a sender started early waits for `setup` (its receiver is ready) before
 * it opens its side; once both are ready the sender gets `go`; each side ends with a `report` or an
 * `error`.
 */
export type ControlMessage =
  | { type: 'hello'; role: Role; pid: number }
  | { type: 'ready'; role: Role }
  | { type: 'setup' }
  | { type: 'go' }
  | { type: 'report'; role: Role; report: SideReport }
  | { type: 'error'; role: Role; message: string };

/** Splits a socket's bytes into parsed JSON lines. */
export function onMessages(socket: net.Socket, handle: (message: ControlMessage) => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) handle(JSON.parse(line) as ControlMessage);
    }
  });
}

export function sendMessage(socket: net.Socket, message: ControlMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
  });
}

/** A side's end of the control channel. */
export class ControlClient {
  readonly #socket: net.Socket;
  readonly #role: Role;
  #go: Promise<void>;
  #setup: Promise<void>;

  private constructor(socket: net.Socket, role: Role) {
    this.#socket = socket;
    this.#role = role;
    let setUp = () => undefined as void;
    let go = () => undefined as void;
    this.#setup = new Promise((resolve) => (setUp = resolve));
    this.#go = new Promise((resolve) => (go = resolve));
    onMessages(socket, (message) => {
      if (message.type === 'setup') setUp();
      if (message.type === 'go') go();
    });
  }

  static connect(path: string, role: Role): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const client = new ControlClient(socket, role);
        sendMessage(socket, { type: 'hello', role, pid: process.pid }).then(() => resolve(client), reject);
      });
    });
  }

  ready(): Promise<void> {
    return sendMessage(this.#socket, { type: 'ready', role: this.#role });
  }

  /** A sender started before its receiver was ready waits here until it may open its side. */
  waitForSetup(): Promise<void> {
    return this.#setup;
  }

  waitForGo(): Promise<void> {
    return this.#go;
  }

  report(report: SideReport): Promise<void> {
    return sendMessage(this.#socket, { type: 'report', role: this.#role, report });
  }

  error(message: string): Promise<void> {
    return sendMessage(this.#socket, { type: 'error', role: this.#role, message });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.end(resolve));
  }
}
