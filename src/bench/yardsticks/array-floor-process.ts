// One repetition of the JS Array floor in a fresh process; prints its timing as JSON on stdout.
//   node dist/bench/yardsticks/array-floor-process.js ELEMENTS SLOT_ELEMENTS
import { measureArrayFloorHere } from './array-floor.js';

const [elements, slotElements] = process.argv.slice(2);
if (elements === undefined || slotElements === undefined) throw new TypeError('usage: array-floor-process.js ELEMENTS SLOT_ELEMENTS');
process.stdout.write(`${JSON.stringify(measureArrayFloorHere(Number(elements), Number(slotElements)))}\n`);
