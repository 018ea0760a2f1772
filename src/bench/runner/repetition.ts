// One repetition of one case in fresh processes: its workspace, its sides' processes, the ready
// barrier on the control socket, a timeout, and which failure to report when several happen.
// The runner is handed what it must know of the transport (a SideLayout) and knows no registry.
import net from 'node:net';
import os from 'node:os';

import { onMessages, sendMessage, type CaseInfo, type ControlMessage } from '../control.js';
import type { Role } from '../ids.js';
import { caseNodeFlags } from '../paths.js';
import { isMessageSpec, type CaseSpec, type MessageCaseSpec, type Runtime, type SideLayout, type SideReport } from '../side.js';
import { onInterrupt } from './interrupt.js';
import { SideProcesses, type SideExit } from './side-processes.js';
import { createWorkspace, removeWorkspace } from './workspace.js';

/** What the runner is handed: the case, given to each side as is, and how its transport's sides start. */
export interface RepetitionPlan {
  spec: CaseSpec | MessageCaseSpec;
  layout: SideLayout;
}

export interface RepetitionOptions {
  timeoutSeconds: number;
  /** Extra Node flags for every process of the case (the profiler's --cpu-prof, for instance). */
  nodeFlags?: string[];
}

/** Both sides' raw reports, or why the repetition failed. */
export type RunOutcome = { ok: true; sender: SideReport; receiver: SideReport } | { ok: false; reason: string };

/** How long a side's exit waits for its last control message (an error) before the exit is blamed. */
const LAST_MESSAGE_MS = 100;
/** When a side's error is first checked against a peer's death, and how often after that. */
const DEATH_CHECK_FIRST_MS = 250;
const DEATH_CHECK_EVERY_MS = 25;
/** How long a side's error waits for a dead peer's exit event before it is reported as the cause. */
const DEATH_HEARD_WITHIN_MS = 2000;

/** One repetition of one case (bulk or message) in fresh processes, with both sides' raw reports. */
export function runRepetition(plan: RepetitionPlan, options: RepetitionOptions): Promise<RunOutcome> {
  return new Repetition(plan, options).run();
}

class Repetition {
  readonly #plan: RepetitionPlan;
  readonly #timeoutSeconds: number;
  readonly #nodeFlags: string[];
  readonly #workspace = createWorkspace();
  readonly #sides = new SideProcesses();
  readonly #server = net.createServer();
  readonly #sockets = new Map<Role, net.Socket>();
  readonly #ready = new Set<Role>();
  readonly #reports = new Map<Role, SideReport>();
  readonly #sideErrors = new Map<Role, string>();
  #exitsBeingReported = 0;
  #setupSent = false;
  #settle: (outcome: RunOutcome) => void = () => undefined;
  readonly #outcome = new Promise<RunOutcome>((resolve) => (this.#settle = resolve));

  constructor(plan: RepetitionPlan, options: RepetitionOptions) {
    this.#plan = plan;
    this.#timeoutSeconds = options.timeoutSeconds;
    this.#nodeFlags = [...caseNodeFlags(os.totalmem()), ...(options.nodeFlags ?? [])];
  }

  async run(): Promise<RunOutcome> {
    const stopCleanupOnInterrupt = onInterrupt(() => {
      this.#sides.killAndAwait();
      removeWorkspace(this.#workspace);
    });
    this.#server.on('connection', (socket) => {
      onMessages(socket, (message) => this.#receive(socket, message));
      socket.on('error', () => undefined);
    });
    const timer = setTimeout(() => this.#fail(this.#timeoutReason()), this.#timeoutSeconds * 1000);
    let outcome: RunOutcome | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#server.once('error', reject);
        this.#server.listen(this.#workspace.controlPath, resolve);
      });
      this.#start(this.#plan.layout.topology === 'pair' ? 'receiver' : 'sender');
      if (this.#senderStartsEarly) this.#start('sender');
      outcome = await this.#outcome;
      return outcome;
    } finally {
      clearTimeout(timer);
      // After a failure nothing is worth waiting for; after success, sides get a moment to exit.
      if (!outcome?.ok) this.#sides.killAll();
      await this.#sides.exited();
      for (const socket of this.#sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
      removeWorkspace(this.#workspace);
      stopCleanupOnInterrupt();
    }
  }

  #runtime(role: Role): Runtime {
    return this.#plan.layout.runtime?.[role] ?? 'node';
  }

  /**
   * A Node sender of a pair starts with its receiver (saving a process start per repetition) and
   * opens its side only when told the receiver is ready; a Python sender starts then.
   */
  get #senderStartsEarly(): boolean {
    return this.#plan.layout.topology === 'pair' && this.#runtime('sender') === 'node';
  }

  #start(role: Role): void {
    const awaitSetup = role === 'sender' && this.#senderStartsEarly;
    const info: CaseInfo = { role, spec: this.#plan.spec, ...this.#workspace, nodeFlags: this.#nodeFlags, ...(awaitSetup ? { awaitSetup } : {}) };
    this.#sides.start(info, this.#runtime(role), (exit) => this.#exited(role, exit));
  }

  #receive(socket: net.Socket, message: ControlMessage): void {
    switch (message.type) {
      case 'hello':
        this.#sockets.set(message.role, socket);
        if (this.#senderStartsEarly) this.#sendSetupOnceReceiverIsReady();
        break;
      case 'ready':
        this.#ready.add(message.role);
        if (message.role === 'receiver' && this.#plan.layout.topology === 'pair') {
          if (this.#senderStartsEarly) this.#sendSetupOnceReceiverIsReady();
          else if (this.#sides.count === 1) this.#start('sender');
        }
        if (this.#ready.has('sender') && this.#ready.has('receiver')) this.#tellSender({ type: 'go' });
        break;
      case 'report': {
        this.#reports.set(message.role, message.report);
        const sender = this.#reports.get('sender');
        const receiver = this.#reports.get('receiver');
        if (sender && receiver) this.#settle({ ok: true, sender, receiver });
        break;
      }
      case 'error':
        this.#sideErrors.set(message.role, message.message);
        this.#failUnlessADeathSpeaks(`${message.role} failed: ${message.message}`);
        break;
    }
  }

  #sendSetupOnceReceiverIsReady(): void {
    if (this.#setupSent || !this.#sockets.has('sender') || !this.#ready.has('receiver')) return;
    this.#setupSent = true;
    this.#tellSender({ type: 'setup' });
  }

  #tellSender(message: ControlMessage): void {
    const sender = this.#sockets.get('sender');
    if (sender) void sendMessage(sender, message).catch(() => undefined);
  }

  /** A side that reported its own error before exiting is failed by that error, not by its exit. */
  #exited(role: Role, exit: SideExit): void {
    this.#exitsBeingReported++;
    // Let the control socket deliver a last error message before blaming the exit.
    setTimeout(() => {
      this.#exitsBeingReported--;
      if (this.#reports.has(role)) return;
      const reported = this.#sideErrors.get(role);
      const detail = exit.stderrTail();
      this.#fail(reported !== undefined ? `${role} failed: ${reported}` : `${role} ${exit.how} before reporting${detail ? `: ${detail}` : ''}`);
    }, LAST_MESSAGE_MS);
  }

  /**
   * A side's error may only echo the other side's death (ERR_PEER_GONE): let that death speak
   * first, however late its exit event arrives on a loaded machine (the peer may see a zombie
   * before we do).
   */
  #failUnlessADeathSpeaks(reason: string): void {
    const since = performance.now();
    const check = () => {
      const deathUnheard = this.#exitsBeingReported > 0 || this.#sides.deathUnheard;
      if (deathUnheard && performance.now() - since < DEATH_HEARD_WITHIN_MS) setTimeout(check, DEATH_CHECK_EVERY_MS);
      else this.#fail(reason);
    };
    setTimeout(check, DEATH_CHECK_FIRST_MS);
  }

  #fail(reason: string): void {
    this.#settle({ ok: false, reason });
  }

  #timeoutReason(): string {
    const what = isMessageSpec(this.#plan.spec) ? 'every message' : 'the payload';
    const waiting =
      this.#ready.size < 2 ? `the ready barrier (ready: ${[...this.#ready].join(', ') || 'none'})` : `${what} to arrive and be verified`;
    return `timed out after ${this.#timeoutSeconds} s waiting for ${waiting}`;
  }
}
