// The first message in a fresh process paid for V8 compiling every function on its path (lazily, on
// first call): measured here, a 4 KB bulk message took 1.3-2.2 ms end to end in fresh processes,
// and 0.55-0.65 ms once both processes had run the same calls beforehand. So the first create or
// open of a process runs each hot path once, over two handles of a channel in its own memory
// (nothing in /dev/shm, nothing waits): whole and chunked messages of the common kinds, batches,
// and the zero-copy calls. About a millisecond, once per process.
import type { ShmChannel } from './channel.js';

const never = () => undefined;

/** Runs the hot paths once on `producer` and `consumer` (two fresh handles of one in-memory channel), then closes them. */
export function warmUp(producer: ShmChannel, consumer: ShmChannel): void {
  try {
    const settled = (promise: Promise<unknown>) => void promise.catch(never);
    for (let round = 0; round < 2; round++) {
      producer.trySend(new Uint8Array(8));
      consumer.tryReceive();
      settled(producer.send(new Int32Array(4)));
      settled(consumer.receiveInto(new Int32Array(4)));
      settled(producer.send(new Uint8Array(3000))); // chunked in the ring of 4096 bytes
      settled(consumer.receive());
      settled(producer.sendValue({ round }));
      settled(producer.sendJson({ round }));
      settled(consumer.receiveMany());
      settled(producer.sendMany([new Float64Array(2), new ArrayBuffer(4)]));
      settled(consumer.receive());
      settled(consumer.receive());
      settled(producer.reserve(16).then(() => producer.commit()));
    }
  } catch {
    // A warm-up that fails changes nothing: each call still works (more slowly) the first time.
  } finally {
    producer.close();
    consumer.close();
  }
}
