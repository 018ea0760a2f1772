// One side of one measured case, in a fresh process (or a worker thread for thread transports):
// the other end of the runner's protocol (control.ts). It finds its transport by id, opens its
// side, meets the other side at the ready barrier, moves or receives the payload (or the messages),
// verifies every element and reports its timestamps and resource use over the control socket.
import { fork } from 'node:child_process';
import { isMainThread, threadId, Worker, workerData } from 'node:worker_threads';

import { CASE_ENV, caseProcessEntry, ControlClient, type CaseInfo } from './control.js';
import { messageTransportById } from './messages/index.js';
import { buildPayload, verifyPayload } from './payload.js';
import { sideUsage } from './side-usage.js';
import { isMessageSpec, type DriveOutcome, type MarkName, type Marks, type MessageSideContext, type Payload, type ServeOutcome, type SideContext, type SidePlace, type SideReport, type Transport } from './side.js';
import { transportById } from './transports/index.js';

function corrupt(payload: Payload): void {
  const index = Math.floor(payload.length / 2);
  payload[index] = (payload[index] as number) + 1;
}

/** The last consume pass's sum, kept where the optimizer must assume it is read. */
export let consumed = 0;

/**
 * The receiver's first full read of the value it got (the `consume` phase): every element once,
 * as an application would. For a view over shared memory this pays the page faults.
 */
function readEveryElement(value: Payload): number {
  let sum = 0;
  for (let i = 0; i < value.length; i++) sum += value[i]!;
  return sum;
}

/** This process's minor page faults so far (read outside the timed marks). */
const minorFaults = () => process.resourceUsage().minorPageFault;

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}

/** A message side's report: its verdict, its outcome, and the usage of the process that did the work. */
function messageReport(outcome: ServeOutcome | DriveOutcome): Partial<SideReport> {
  const { usage, ...rest } = outcome;
  return { verified: outcome.verified, ...(outcome.mismatch === undefined ? {} : { mismatch: outcome.mismatch }), messageOutcome: rest, ...(usage ? { usage } : {}) };
}

type Finish = (extra: Partial<SideReport>) => Promise<void>;

/** A bulk receiver: receives, reads every element once (the `consume` phase), verifies, reports. */
async function runBulkReceiver(ctx: SideContext, control: ControlClient, finish: Finish): Promise<void> {
  const { spec, mark } = ctx;
  const session = await bulkTransport(ctx).openReceiver(ctx);
  try {
    await control.ready();
    const faultsAtReady = minorFaults();
    if (spec.fault === 'hang') await new Promise(() => undefined);
    const value = await session.receive();
    mark('valueReady');
    const windowMinorFaults = minorFaults() - faultsAtReady;
    mark('consumeStart');
    consumed = readEveryElement(value);
    mark('consumeEnd');
    mark('verifyStart');
    const verification = verifyPayload(value, spec.payload, spec.elements);
    mark('verifyEnd');
    session.release?.();
    const after = session.afterRelease ? await session.afterRelease() : {};
    await finish({ ...verification, windowMinorFaults, ...after });
  } finally {
    await session.close();
  }
}

/** A bulk sender: builds the payload (timed), meets the receiver at the barrier, sends, reports. */
async function runBulkSender(ctx: SideContext, control: ControlClient, finish: Finish): Promise<void> {
  const { spec, mark } = ctx;
  const session = await bulkTransport(ctx).openSender(ctx);
  try {
    mark('buildStart');
    const payload = session.build ? await session.build() : buildPayload(spec.payload, spec.elements);
    mark('buildEnd');
    if (spec.fault === 'corrupt') corrupt(payload);
    await control.ready();
    const faultsAtReady = minorFaults();
    await control.waitForGo();
    if (spec.fault === 'crash') process.kill(process.pid, 'SIGKILL');
    mark('sendStart');
    await session.send(payload);
    mark('sendEnd');
    const windowMinorFaults = minorFaults() - faultsAtReady;
    await finish({ windowMinorFaults, ...(session.afterSend ? await session.afterSend() : {}) });
  } finally {
    await session.close();
  }
}

function bulkTransport(ctx: SideContext): Transport {
  const transport = transportById(ctx.spec.transport);
  if (!transport) throw new Error(`unknown transport "${ctx.spec.transport}"`);
  return transport;
}

/**
 * A message case: the server (the receiver's place) echoes or drains, the client times. Verdicts
 * and timings travel in the reports' `messageOutcome`.
 */
async function runMessageSide(ctx: MessageSideContext, control: ControlClient, finish: Finish): Promise<void> {
  const transport = messageTransportById(ctx.spec.transport);
  if (!transport) throw new Error(`unknown message transport "${ctx.spec.transport}"`);
  if (ctx.role === 'receiver') {
    const server = await transport.openServer(ctx);
    try {
      await control.ready();
      await finish(messageReport(await server.serve()));
    } finally {
      await server.close();
    }
  } else {
    const client = await transport.openClient(ctx);
    try {
      await control.ready();
      await control.waitForGo();
      await finish(messageReport(await client.drive()));
    } finally {
      await client.close();
    }
  }
}

async function runSide(info: CaseInfo, sharedProcess: boolean): Promise<void> {
  const marks: Marks = {};
  const mark = (name: MarkName) => {
    marks[name] ??= process.hrtime.bigint();
  };
  const control = await ControlClient.connect(info.controlPath, info.role);
  if (info.awaitSetup) await control.waitForSetup();
  const place = {
    role: info.role,
    objectPrefix: info.objectPrefix,
    caseDir: info.caseDir,
    shmDir: info.shmDir,
    spawnReceiver: (options) =>
      fork(caseProcessEntry, [], {
        ...options,
        execArgv: info.nodeFlags,
        env: { ...process.env, [CASE_ENV]: JSON.stringify({ ...info, role: 'receiver' }) },
      }),
    startReceiverWorker: (options) =>
      new Worker(caseProcessEntry, { ...options, workerData: { case: { ...info, role: 'receiver' } } }),
  } satisfies SidePlace;
  const finish: Finish = (extra) =>
    control.report({
      role: info.role,
      pid: process.pid,
      threadId,
      marks: Object.fromEntries(Object.entries(marks).map(([name, value]) => [name, String(value)])),
      usage: sideUsage(sharedProcess),
      ...extra,
    });

  try {
    const spec = info.spec;
    if (isMessageSpec(spec)) await runMessageSide({ ...place, spec }, control, finish);
    else if (info.role === 'receiver') await runBulkReceiver({ ...place, spec, mark }, control, finish);
    else await runBulkSender({ ...place, spec, mark }, control, finish);
  } catch (error) {
    await control.error(describeError(error)).catch(() => undefined);
    throw error;
  } finally {
    await control.close();
  }
}

const info: CaseInfo | undefined = isMainThread
  ? process.env[CASE_ENV]
    ? (JSON.parse(process.env[CASE_ENV]) as CaseInfo)
    : undefined
  : (workerData as { case?: CaseInfo } | null)?.case;

if (info) {
  runSide(info, !isMainThread || info.spec.transport.startsWith('worker-')).then(
    () => {
      if (isMainThread) process.exit(0);
    },
    (error: unknown) => {
      if (isMainThread) {
        console.error(error);
        process.exit(1);
      }
      throw error;
    },
  );
}
