// The producer side of consumer.mjs, which starts it with the channel's name.
// readme:start
import { ShmChannel } from 'ipclab';

const channel = ShmChannel.open(process.argv[2]);              // the consumer created it
const values = Float64Array.from({ length: 1_000_000 }, (_, i) => i * 0.5);
await channel.send(values);                                    // any size: streams through the ring
await channel.sendValue({ done: true, count: values.length }); // any structured-cloneable value
channel.close();
// readme:end
