// Names that ipclab makes for itself start with "ipclab-" and carry the creating pid, so a
// crashed run's leftovers can be found (and told apart from a live run's) by `ipclab clean`.
import { randomBytes } from 'node:crypto';

import { describe } from './validate.js';

export const OWN_PREFIX = 'ipclab-';

/**
 * The longest tag: "ipclab-<pid>-<6 random hex>-" takes up to 22 of the 30 bytes a portable name
 * may have (Linux pids reach 7 digits), whatever this process's pid is.
 */
export const MAX_TAG_LENGTH = 8;

/**
 * A fresh name such as "/ipclab-4242-a1b2c3-jobs": this process's pid (so `ipclab clean` can tell
 * a leftover from a live object) and 3 random bytes, then `tag`, a word of at most 8 characters
 * from A-Z a-z 0-9 _ . - saying what it is for. A tag is used as it is or refused, never shortened.
 */
export function uniqueName(tag: string = ''): string {
  if (typeof tag !== 'string') throw new TypeError(`tag must be a string (a short word such as "jobs"), got ${describe(tag)}`);
  if (tag.length > MAX_TAG_LENGTH || /[^A-Za-z0-9_.-]/.test(tag)) {
    throw new RangeError(
      `tag must be at most ${MAX_TAG_LENGTH} characters from A-Z a-z 0-9 _ . - (the pid and random part take the rest of the 30 bytes a name may have), got ${describe(tag)}${tag.length > MAX_TAG_LENGTH ? ` (${tag.length} characters)` : ''}`,
    );
  }
  const random = randomBytes(3).toString('hex');
  return `/${OWN_PREFIX}${process.pid}-${random}${tag ? `-${tag}` : ''}`;
}


/** The pid embedded in one of our names, or undefined for names we did not make. */
export function creatorPid(name: string): number | undefined {
  const match = /^\/?(?:sem\.)?ipclab-(\d+)-/.exec(name);
  return match ? Number(match[1]) : undefined;
}
