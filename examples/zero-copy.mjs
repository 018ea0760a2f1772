// Zero copy: the producer writes straight into the channel's segment and the consumer reads the
// same memory in place. Run it as `node examples/zero-copy.mjs`; it starts its producer itself.
import { fork } from 'node:child_process';
import { ShmChannel, uniqueName } from 'ipclab';

const length = 1_000_000;

if (process.argv[2] === 'producer') {
  // readme:start producer
  const producer = ShmChannel.open(process.argv[3]);
  const slot = await producer.reserve(Int32Array, length);     // a view inside the segment
  for (let i = 0; i < slot.length; i++) slot[i] = i;
  producer.commit();                                           // publishes the slot; nothing is copied
  producer.close();
  // readme:end
} else {
  // readme:start consumer
  const consumer = ShmChannel.create(uniqueName('frames'));   // slots of 4 MiB: room for 10^6 int32
  fork(new URL(import.meta.url), ['producer', consumer.name]);

  const view = await consumer.receiveInPlace({ timeoutMs: 10_000 }); // an Int32Array over the segment
  const intact = view.length === length && view.every((value, i) => value === i);
  consumer.release();                                          // the slot goes back to the producer
  consumer.close();
  // readme:end
  console.log(`read ${length} int32 values in place${intact ? ', every one as written' : ', NOT as written'}`);
  process.exitCode = intact ? 0 : 1;
}
