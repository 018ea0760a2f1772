import { uniqueName } from '../../src/index.js';

/** A name unique to this process and call, in ipclab's own namespace. */
export const testName = (tag: string): string => uniqueName(tag);
