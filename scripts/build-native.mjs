#!/usr/bin/env node
// `npm run build:native`: always rebuilds the addon and the native reference from source into
// build/Release of the package this script belongs to (a checkout, or an installed ipclab), from
// any working directory. Quiet unless IPCLAB_BUILD_VERBOSE=1 (native-toolchain.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD_TOOLS_HINT, missingBuildTools, runNodeGyp } from './native-toolchain.mjs';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const missing = missingBuildTools();
if (missing.length > 0) {
  console.error(`ipclab: cannot build the native addon: missing ${missing.join(', ')}; ${BUILD_TOOLS_HINT}.`);
  process.exit(1);
}
process.exit(runNodeGyp(['rebuild'], { cwd: packageRoot }));
