// The checkout's root and the npm that runs the suite, for tests that pack and install ipclab.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const nodePrefix = path.dirname(path.dirname(process.execPath));

/** npm's own CLI script, run as `node npm-cli.js ...` so that PATH need not hold npm. */
export const npmCli = process.env.npm_execpath?.endsWith('npm-cli.js')
  ? process.env.npm_execpath
  : path.join(nodePrefix, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
