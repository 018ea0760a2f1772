// The reading half of the native two-process floor, in a process of its own: maps the segment the
// harness filled, reads every element, and prints {"seconds", "verified"} as JSON on stdout.
//   node dist/bench/yardsticks/floor-reader.js NAME BYTES
import { addon } from '../../native.js';

const [name, bytes] = process.argv.slice(2);
if (name === undefined || bytes === undefined) throw new TypeError('usage: floor-reader.js NAME BYTES');
process.stdout.write(`${JSON.stringify(addon.readSegment(name, Number(bytes)))}\n`);
