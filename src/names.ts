// Names that ipclab makes for itself start with "ipclab-" and carry the creating pid, so a
// crashed run's leftovers can be found (and told apart from a live run's) by `ipclab clean`.
import { randomBytes } from 'node:crypto';

import { describe } from './validate.js';

export const OWN_PREFIX = 'ipclab-';

/** A fresh name such as "/ipclab-4242-k3x9-shm"; `tag` is a short word saying what it is for. */
export function uniqueName(tag: string = ''): string {
  if (typeof tag !== 'string') throw new TypeError(`tag must be a string (a short word such as "jobs"), got ${describe(tag)}`);
  const random = randomBytes(3).toString('hex');
  const suffix = tag ? `-${tag.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 8)}` : '';
  return `/${OWN_PREFIX}${process.pid}-${random}${suffix}`;
}


/** The pid embedded in one of our names, or undefined for names we did not make. */
export function creatorPid(name: string): number | undefined {
  const match = /^\/?(?:sem\.)?ipclab-(\d+)-/.exec(name);
  return match ? Number(match[1]) : undefined;
}
