// A stream of small messages: the producer hands over batches with sendMany (one publish, at most
// one wake-up each), the consumer reads with for await, which takes every message already in the
// ring before it waits again. Run it as `node examples/stream.mjs`; it starts its producer itself.
import { fork } from 'node:child_process';
import { ShmChannel, uniqueName } from 'ipclab';

const count = 100_000;

if (process.argv[2] === 'producer') {
  // readme:start producer
  const producer = ShmChannel.open(process.argv[3]);
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: 1000 }, (_, i) => new Float64Array([start + i, Date.now()]));
    await producer.sendMany(batch);                            // waits only when the ring is full
  }
  producer.close();                                            // ends the consumer's for await
  // readme:end
} else {
  // readme:start consumer
  const consumer = ShmChannel.create(uniqueName('ticks'));
  fork(new URL(import.meta.url), ['producer', consumer.name]);

  let received = 0;
  let inOrder = true;
  for await (const [sequence] of consumer) {                   // each a Float64Array, as sent
    inOrder &&= sequence === received;
    received++;
  }
  consumer.close();
  // readme:end
  console.log(`received ${received} messages${inOrder && received === count ? ', every one in order' : ', NOT as sent'}`);
  process.exitCode = inOrder && received === count ? 0 : 1;
}
