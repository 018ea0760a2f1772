#!/usr/bin/env node
// The `ipclab` command. Parsing lives in cli/args.ts, the commands in cli/commands.ts.
import { commandLineText, parseCommandLine } from './cli/args.js';
import { runCommand } from './cli/commands.js';
import { UsageError } from './cli/usage-error.js';
import { IpcError } from './errors.js';

const argv = process.argv.slice(2);
try {
  process.exitCode = await runCommand(parseCommandLine(argv), commandLineText(argv));
} catch (error) {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? 'ipclab --help' : `ipclab ${error.command} --help`;
    process.stderr.write(`ipclab: ${error.message}\nRun "${help}" for usage.\n`);
  } else if (error instanceof IpcError) {
    process.stderr.write(`ipclab: ${error.message}\n`); // written to be acted on; no stack needed
  } else {
    process.stderr.write(`ipclab: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = error instanceof UsageError ? error.exitCode : 1;
}
