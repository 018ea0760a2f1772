// Two processes, one ShmChannel: this consumer creates the channel, starts producer.mjs with the
// channel's name, and receives a Float64Array of a million values and then a plain object.
//   node examples/producer-consumer/consumer.mjs
// readme:start
import { fork } from 'node:child_process';
import { ShmChannel, uniqueName } from 'ipclab';

const channel = ShmChannel.create(uniqueName('jobs'));         // a ring of 4 MiB by default
const producer = fork(new URL('./producer.mjs', import.meta.url), [channel.name]);

const values = await channel.receive({ timeoutMs: 10_000 });   // a Float64Array, as sent
const summary = await channel.receive({ timeoutMs: 10_000 });  // { done: true, count: 1000000 }
channel.close();                                               // the creator also removes the name
// readme:end

await new Promise((resolve) => producer.once('exit', resolve));
const intact = values instanceof Float64Array && values.length === summary.count && values.every((value, i) => value === i * 0.5);
console.log(`received ${values.length} float64 values${intact ? ', every one as sent' : ', NOT as sent'}`);
process.exitCode = intact && producer.exitCode === 0 ? 0 : 1;
