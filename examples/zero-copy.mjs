// Zero copy: the producer writes straight into the channel's ring and the consumer reads the
// same memory in place. Run it as `node examples/zero-copy.mjs`; it starts its producer itself.
import { fork } from 'node:child_process';
import { ShmChannel, uniqueName } from 'ipclab';

const length = 1_000_000;

if (process.argv[2] === 'producer') {
  // readme:start producer
  const producer = ShmChannel.open(process.argv[3]);
  const region = await producer.reserve(Int32Array, length);   // a view inside the ring
  for (let i = 0; i < region.length; i++) region[i] = i;
  producer.commit();                                           // publishes it; nothing is copied
  producer.close();
  // readme:end
} else {
  // readme:start consumer
  const consumer = ShmChannel.create(uniqueName('frames'), { ringBytes: 8 << 20 }); // a record holds up to half the ring
  fork(new URL(import.meta.url), ['producer', consumer.name]);

  const view = await consumer.receiveInPlace({ timeoutMs: 10_000 }); // an Int32Array over the ring
  const intact = view.length === length && view.every((value, i) => value === i);
  consumer.release();                                          // its bytes go back to the producer
  consumer.close();
  // readme:end
  console.log(`read ${length} int32 values in place${intact ? ', every one as written' : ', NOT as written'}`);
  process.exitCode = intact ? 0 : 1;
}
