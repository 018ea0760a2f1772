// The control channel between the harness and each side of a case: newline-delimited JSON over
// a Unix socket, separate from every data path.
import net from 'node:net';

import type { Role } from './ids.js';
import type { SideReport } from './side.js';

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
