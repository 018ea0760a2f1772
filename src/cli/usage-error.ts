// A mistake on the command line: printed with a pointer to --help, exit code 2.
import type { CommandName } from './flags.js';

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** The command whose help to point at, if any. */
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
