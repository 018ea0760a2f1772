// `ipclab list`: every registered transport with what it stands for and what it cannot do.
import type { Transport } from '../bench/side.js';

export type TransportListing = Pick<
  Transport,
  'id' | 'standsFor' | 'mechanism' | 'topology' | 'payloads' | 'codecs' | 'constraint' | 'limits' | 'runtime'
>;

const LABEL_WIDTH = 12;
const LINE_WIDTH = 100;

/** Word-wraps `text` after a label column; continuation lines are indented under the text. */
function field(label: string, text: string, bullet = ''): string[] {
  const indent = ' '.repeat(2 + LABEL_WIDTH);
  const room = LINE_WIDTH - indent.length - bullet.length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.map((content, index) => {
    const head = index === 0 ? `  ${label.padEnd(LABEL_WIDTH)}${bullet}` : `${indent}${' '.repeat(bullet.length)}`;
    return `${head}${content}`.trimEnd();
  });
}

export function renderTransportList(transports: readonly TransportListing[]): string {
  if (transports.length === 0) return 'No transports are registered.\n';
  const blocks = transports.map((transport) => {
    const limits = transport.limits.length === 0 ? field('limits', 'none known') : transport.limits.flatMap((limit, index) => field(index === 0 ? 'limits' : '', limit, '- '));
    return [
      `${transport.id}  (stands for Python's ${transport.standsFor})`,
      ...field('mechanism', transport.mechanism),
      ...field('topology', transport.topology),
      ...(transport.runtime ? field('runs in', `${transport.runtime.sender} (sender), ${transport.runtime.receiver} (receiver)`) : []),
      ...field('payloads', transport.payloads.join(', ')),
      ...field('codecs', transport.codecs.join(', ')),
      ...field('constraint', transport.constraint),
      ...limits,
    ].join('\n');
  });
  return `${transports.length} transport(s); "stands for" names the row of Python's multiprocessing table it answers.\n\n${blocks.join('\n\n')}\n`;
}
