// The help texts, made from the table of commands and flags (flags.ts).
import { COMMAND_NAMES, COMMANDS, flagsOf, type CommandName, type Flag } from './flags.js';

/** A flag's lines in a help text: the flag and its value, padded to `column`, then its help. */
function flagLines(flag: Flag, column: number): string[] {
  const label = `${flag.short === undefined ? '' : `-${flag.short}, `}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
  const [first, ...rest] = flag.help.split('\n');
  return [`  ${label.padEnd(column)}${first}`, ...rest.map((line) => `${' '.repeat(2 + column)}${line}`)];
}

function commandUsage(command: CommandName): string {
  const spec = COMMANDS[command];
  const options = flagsOf(command).flatMap((flag) => flagLines(flag, spec.flagColumn));
  const footer = spec.footer === undefined ? '' : `\n${spec.footer}\n`;
  return `Usage: ${spec.usage}\n\n${spec.description}\n\nOptions:\n${options.join('\n')}\n${footer}`;
}

const COMMAND_COLUMN = 10;

export const MAIN_USAGE = `Usage: ipclab <command> [options]

Move large arrays between Node.js processes, and measure every way to do it.

Commands:
${COMMAND_NAMES.map((name) => `  ${name.padEnd(COMMAND_COLUMN)}${COMMANDS[name].summary}`).join('\n')}

Options:
  -h, --help       Show this help; "ipclab <command> --help" shows a command's options
  -V, --version    Print ipclab's version
`;

export const COMMAND_USAGE = Object.fromEntries(COMMAND_NAMES.map((name) => [name, commandUsage(name)])) as Readonly<Record<CommandName, string>>;
