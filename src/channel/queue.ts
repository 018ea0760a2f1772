// Call ordering: a channel handle runs one operation at a time, in the order the calls were made,
// so `send(a); send(b)` without awaiting arrives as a, b. An idle handle starts an operation at
// once, and one that finishes without waiting costs no promise beyond the one it returns.

export class CallQueue {
  /** The latest operation, which the next one follows. */
  #latest: Promise<unknown> = Promise.resolve();
  #unsettled = 0;

  /** True when no operation is running or waiting to run. */
  get idle(): boolean {
    return this.#unsettled === 0;
  }

  /**
   * Runs `operation` after every earlier one has settled: at once when none is pending. A result
   * given without a promise settles it at once; a promise keeps later operations waiting for it.
   */
  run<T>(operation: () => T | Promise<T>): Promise<T> {
    if (this.#unsettled === 0) {
      let result: T | Promise<T>;
      try {
        result = operation();
      } catch (error) {
        return Promise.reject(error);
      }
      return result instanceof Promise ? this.#hold(result) : Promise.resolve(result);
    }
    return this.#hold(this.#latest.then(operation, operation));
  }

  /** Settles once every operation started or queued so far has settled. */
  settled(): Promise<void> {
    return this.#latest.then(
      () => undefined,
      () => undefined,
    );
  }

  #hold<T>(pending: Promise<T>): Promise<T> {
    this.#unsettled++;
    const settled = pending.finally(() => this.#unsettled--);
    this.#latest = settled;
    return settled;
  }
}
