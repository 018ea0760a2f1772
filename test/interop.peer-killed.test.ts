// A peer in another language killed (SIGKILL) in the middle of a message, in each direction: the
// Node side gets ERR_PEER_GONE within 2 s (a sleeping side watches its peer's process, and looks
// at the handle table at least every 2 s), and the name is gone afterwards.
import { describe, expect } from 'vitest';

import { ShmChannel } from '../src/index.js';
import { testName } from './support/names.js';
import { finished } from './support/processes.js';
import { announced, nodeSend, pattern, peerReport, SMALL_RING, specOf, startPeer, type Entry, type Language } from './support/interop.js';
import { cCompiler, itRequiring, numpy } from './support/requirements.js';

// A small message, then 10^7 bytes of int32 through a 64 KiB ring: the peer stops in the middle of it.
const LIST: Entry[] = [[0, 24], [6, 1e7]];
const DETECTED_WITHIN_MS = 2000;

async function receiverKilled(language: Language): Promise<void> {
  const channel = ShmChannel.create(testName('kill'), { ringBytes: SMALL_RING });
  try {
    const peer = startPeer(language, 'receive', channel.name, specOf(LIST), { pauseAfter: 1 });
    const exited = finished(peer);
    await announced(peer, 'opened');
    const sending = nodeSend(channel, LIST);
    sending.catch(() => undefined);
    await announced(peer, 'paused');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the ring fills; the sender waits for room
    peer.kill('SIGKILL');
    const killedAt = performance.now();
    await expect(sending).rejects.toMatchObject({ code: 'ERR_PEER_GONE' });
    expect(performance.now() - killedAt).toBeLessThan(DETECTED_WITHIN_MS);
    await exited;
  } finally {
    channel.close();
  }
}

async function senderKilled(language: Language): Promise<void> {
  const channel = ShmChannel.create(testName('kill'), { ringBytes: SMALL_RING });
  try {
    const peer = startPeer(language, 'send', channel.name, specOf(LIST), { pauseAfter: 1 });
    const exited = finished(peer);
    const first = (await channel.receive({ timeoutMs: 20_000 })) as ArrayBuffer;
    expect(Buffer.from(first).equals(Buffer.from(pattern(0, 24)))).toBe(true);
    await announced(peer, 'paused');
    const receiving = channel.receive(); // takes what arrived of the long message, then waits for the rest
    receiving.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    peer.kill('SIGKILL');
    const killedAt = performance.now();
    await expect(receiving).rejects.toMatchObject({ code: 'ERR_PEER_GONE', message: expect.stringMatching(/ended in the middle of a message: \d+ of its 10000000 bytes arrived .*has exited/) });
    expect(performance.now() - killedAt).toBeLessThan(DETECTED_WITHIN_MS);
    await exited;
  } finally {
    channel.close();
  }
}

/** Two Python peers: `victim` is killed when it pauses; the other reports ERR_PEER_GONE within 2 s. */
async function pythonSurvivor(victim: 'send' | 'receive'): Promise<void> {
  const channel = ShmChannel.create(testName('kill'), { ringBytes: SMALL_RING });
  try {
    const survivor = startPeer('python', victim === 'send' ? 'receive' : 'send', channel.name, specOf(LIST));
    const survived = finished(survivor);
    const killed = startPeer('python', victim, channel.name, specOf(LIST), { pauseAfter: 1 });
    await announced(killed, 'paused');
    await new Promise((resolve) => setTimeout(resolve, 100));
    killed.kill('SIGKILL');
    const killedAt = performance.now();
    const report = await peerReport(survivor, survived);
    expect(performance.now() - killedAt).toBeLessThan(DETECTED_WITHIN_MS);
    expect(report).toMatchObject({ ok: false, code: 'ERR_PEER_GONE' });
  } finally {
    channel.close();
  }
}

const python = itRequiring(numpy);
const c = itRequiring(cCompiler);

describe('a peer killed in the middle of a message', () => {
  python('Node -> Python: the Python receiver killed, Node send() rejects with ERR_PEER_GONE', () => receiverKilled('python'));
  python('Python -> Node: the Python sender killed, Node receive() rejects with ERR_PEER_GONE', () => senderKilled('python'));
  c('Node -> C: the C receiver killed', () => receiverKilled('c'));
  c('C -> Node: the C sender killed', () => senderKilled('c'));
  python('Python -> Python: the sender killed, the Python receiver gets ERR_PEER_GONE', () => pythonSurvivor('send'));
  python('Python -> Python: the receiver killed, the Python sender gets ERR_PEER_GONE', () => pythonSurvivor('receive'));
});
