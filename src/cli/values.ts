// Reading a flag's value: lists, choices, element counts, message sizes, whole numbers and seconds,
// each refused with a sentence that names the flag and says what it expects (flags.ts).
import { MAX_ELEMENTS, MAX_MESSAGE_BYTES } from '../bench/defaults.js';
import { expects, type CommandName } from './flags.js';
import { UsageError } from './usage-error.js';

/** A flag's value as given on the command line, naming the flag and the command it belongs to. */
export interface FlagText {
  command: CommandName;
  /** Without its dashes. */
  flag: string;
  text: string;
}

const expectation = ({ command, flag }: FlagText) => expects(command, flag);

function refuse({ command, flag, text }: FlagText): never {
  throw new UsageError(`--${flag} expects ${expects(command, flag)}, got "${text}"`, command);
}

/** The comma-separated items of a list flag, trimmed, without empty items or repeats. */
export function listItems(given: FlagText): string[] {
  const items = [...new Set(given.text.split(',').map((item) => item.trim()).filter((item) => item !== ''))];
  if (items.length === 0) refuse(given);
  return items;
}

/** The items of a list flag, each one of `allowed`. */
export function someOf<T extends string>(given: FlagText, allowed: readonly T[]): T[] {
  return listItems(given).map((item) => {
    if (!(allowed as readonly string[]).includes(item)) throw new UsageError(`--${given.flag}: unknown value "${item}"; expected ${expectation(given)}`, given.command);
    return item as T;
  });
}

/** The value of a flag that takes exactly one of `allowed`. */
export function oneOf<T extends string>(given: FlagText, allowed: readonly T[]): T {
  const value = given.text.trim();
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${given.flag}: unknown value "${given.text}"; expected ${expectation(given)}`, given.command);
  return value as T;
}

/** An element count written as 100000, 1e5, 2.5e5 or 10^5. */
export function elementCount(given: FlagText): number {
  const { command, flag, text } = given;
  const trimmed = text.trim();
  const power = /^10\^(\d{1,2})$/.exec(trimmed);
  let value = NaN;
  if (power) value = 10 ** Number(power[1]);
  else if (/^\d+$/.test(trimmed) || /^\d+(\.\d+)?e\+?\d{1,2}$/i.test(trimmed)) value = Number(trimmed);
  if (Number.isNaN(value)) throw new UsageError(`--${flag}: "${text}" is not an element count; expected ${expectation(given)}`, command);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${flag}: "${text}" is not a whole number of at least 1 element`, command);
  if (value > MAX_ELEMENTS) throw new UsageError(`--${flag}: "${text}" is more than ${MAX_ELEMENTS.toLocaleString('en-US')} elements, the largest JS array`, command);
  return value;
}

/** An element count of `ipclab bench --sizes` (or of `flag` of `command`). */
export function parseSize(text: string, flag = 'sizes', command: CommandName = 'bench'): number {
  return elementCount({ command, flag, text });
}

/** A message size in bytes: 64, 1e3, 10^3, 64KiB or 1MiB. */
export function parseMessageBytes(text: string): number {
  const suffixed = /^\s*(\d+)\s*(KiB|MiB)\s*$/.exec(text);
  const value = suffixed
    ? Number(suffixed[1]) * (suffixed[2] === 'KiB' ? 1024 : 1024 * 1024)
    : /^\s*(\d+(\.\d+)?e\+?\d{1,2}|\d+|10\^\d{1,2})\s*$/i.test(text)
      ? text.includes('^')
        ? 10 ** Number(text.trim().slice(3))
        : Number(text)
      : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_MESSAGE_BYTES) {
    throw new UsageError(`--sizes: "${text}" is not a message size; expected a whole number of bytes from 1 to ${MAX_MESSAGE_BYTES} (such as 8, 1e3, 64KiB or 1MiB)`, 'bench');
  }
  return value;
}

export function positiveInteger(given: FlagText): number {
  const value = /^\s*\d+\s*$/.test(given.text) ? Number(given.text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) refuse(given);
  return value;
}

/** A whole number, 0 included. */
export function wholeNumber(given: FlagText): number {
  const value = /^\s*\d+\s*$/.test(given.text) ? Number(given.text) : NaN;
  if (!Number.isSafeInteger(value)) refuse(given);
  return value;
}

export function positiveSeconds(given: FlagText): number {
  const value = /^\s*(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(given.text) ? Number(given.text) : NaN;
  if (!Number.isFinite(value) || value <= 0) refuse(given);
  return value;
}

/** A file path; an empty one is a mistake. */
export function filePath(given: FlagText): string {
  if (given.text.trim() === '') throw new UsageError(`--${given.flag} expects ${expectation(given)}, got an empty string`, given.command);
  return given.text;
}
