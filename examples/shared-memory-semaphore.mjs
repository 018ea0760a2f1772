// Shared memory as an ArrayBuffer, and a semaphore inside the same segment that says "the frame is
// ready". The semaphore takes the first bytes; the pixels start after it, so the two never overlap.
// Run it as `node examples/shared-memory-semaphore.mjs`; it starts the drawing process itself.
import { fork } from 'node:child_process';
import { Semaphore, SharedMemory, uniqueName } from 'ipclab';

const width = 640;
const height = 480;
// readme:start layout
// [ semaphore | padding to its alignment | pixels ... ]
const pixelsOffset = Math.ceil(Semaphore.byteLength / Semaphore.alignment) * Semaphore.alignment;
const segmentBytes = pixelsOffset + width * height;
// readme:end

if (process.argv[2] === 'draw') {
  // readme:start draw
  const segment = SharedMemory.open(process.argv[3]);
  const ready = Semaphore.openIn(segment, 0);
  const pixels = new Uint8Array(segment.buffer, pixelsOffset, width * height); // after the semaphore
  for (let i = 0; i < pixels.length; i++) pixels[i] = i % 251;
  ready.post();                                                // "the frame is ready"
  ready.close();
  segment.close();
  // readme:end
} else {
  // readme:start show
  const segment = SharedMemory.create(uniqueName('frame'), segmentBytes); // exclusive, mode 0o600
  const ready = Semaphore.createIn(segment, 0, 0);             // at offset 0, value 0
  const pixels = new Uint8Array(segment.buffer, pixelsOffset, width * height); // zero-copy view
  fork(new URL(import.meta.url), ['draw', segment.name]);

  const drawn = await ready.wait(10_000);                      // true, or false after 10 s
  const intact = drawn && pixels.every((value, i) => value === i % 251);
  ready.close();
  segment.close();                                             // unmaps and, as the creator, unlinks
  // readme:end
  console.log(`${drawn ? 'frame ready' : 'no frame within 10 s'}: ${width}x${height} pixels${intact ? ', every one as drawn' : ', NOT as drawn'}`);
  process.exitCode = intact ? 0 : 1;
}
