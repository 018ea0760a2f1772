// Closing at exit: a segment, semaphore or channel this process made (or a channel it opened) that
// is still open when the process exits normally is closed then, so its name leaves /dev/shm and a
// channel's peer hears a proper close. One 'exit' listener for all of them, added with the first.
// A process killed by a signal runs no hook: `ipclab clean` removes what such a process left.

/** The method the hook calls (synchronously, at most once): a symbol, so it stays out of the public API. */
export const atExit: unique symbol = Symbol('ipclab.closeAtExit');

export interface ClosesAtExit {
  [atExit](): void;
}

const open = new Set<ClosesAtExit>();
let listening = false;

function closeEverything(): void {
  for (const item of [...open]) {
    try {
      item[atExit]();
    } catch {
      // One object that cannot close (its segment was scribbled over) must not keep the rest open.
    }
  }
  open.clear();
}

/** Closes `item` at the process's normal exit unless it was forgotten (closed) before. */
export function closeAtExit(item: ClosesAtExit): void {
  open.add(item);
  if (!listening) {
    listening = true;
    process.on('exit', closeEverything);
  }
}

/** `item` closed by itself: the hook has nothing left to do for it. */
export function forgetAtExit(item: ClosesAtExit): void {
  open.delete(item);
}
