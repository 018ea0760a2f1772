// broker (Python's Manager): a third process holds the decoded value between a put and a get.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readFrame, writeFrame } from '../src/bench/codecs/streams.js';
import { distEntry } from '../src/bench/paths.js';
import { BROKER_FAILED, BROKER_GET, BROKER_LISTENING, BROKER_PUT, BROKER_PUT_DONE, readByte } from '../src/bench/transports/broker.js';
import { connect } from '../src/bench/rendezvous.js';
import { childExit, releaseChild } from '../src/bench/child-exit.js';
import { describeEveryCombination } from './support/transport-cases.js';

describeEveryCombination(['broker']);

describe('the broker process', () => {
  let directory: string;
  let socketPath: string;
  let broker: ReturnType<typeof fork>;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-test-broker-'));
    socketPath = path.join(directory, 'broker.sock');
    broker = fork(distEntry('bench/transports/broker-server.js'), [socketPath], { execArgv: [], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    await new Promise((resolve) => broker.once('message', resolve)).then((message) => expect(message).toBe(BROKER_LISTENING));
  });

  afterAll(async () => {
    await releaseChild(broker, false);
    rmSync(directory, { recursive: true, force: true });
  });

  async function request(verb: number): Promise<net.Socket> {
    const socket = await connect({ path: socketPath });
    socket.write(Buffer.of(verb));
    return socket;
  }

  it('holds a get until a value is put, then answers every get with it', async () => {
    const early = await request(BROKER_GET);
    const earlyValue = readFrame(early);

    const putter = await request(BROKER_PUT);
    await writeFrame(putter, Float64Array.of(0, 1.5, -2), 'json');
    expect(await readByte(putter, 'broker')).toBe(BROKER_PUT_DONE);

    const late = await request(BROKER_GET);
    expect(await earlyValue).toEqual(Float64Array.of(0, 1.5, -2));
    expect(await readFrame(late)).toEqual(Float64Array.of(0, 1.5, -2));
    for (const socket of [early, putter, late]) socket.destroy();
  });

  it('answers a put it cannot decode with FAILED and the reason', async () => {
    const putter = await request(BROKER_PUT);
    putter.end(Buffer.alloc(40, 0x21));
    expect(await readByte(putter, 'broker')).toBe(BROKER_FAILED);
    const reason: Buffer[] = [];
    for await (const piece of putter) reason.push(piece as Buffer);
    expect(Buffer.concat(reason).toString('utf8')).toBe('Error: not an ipclab frame: magic 0x21212121, expected 0x4c435049');
  });

  it('exits when the process that started it goes away', async () => {
    const orphan = fork(distEntry('bench/transports/broker-server.js'), [path.join(directory, 'other.sock')], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise((resolve) => orphan.once('message', resolve));
    const exited = childExit(orphan);
    orphan.disconnect();
    await exited;
    expect(orphan.exitCode).toBe(0);
  });
});
