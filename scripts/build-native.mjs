#!/usr/bin/env node
// `npm run build:native`: always rebuilds the addon from source into build/Release.
import { BUILD_TOOLS_HINT, missingBuildTools, runNodeGyp } from './native-toolchain.mjs';

const missing = missingBuildTools();
if (missing.length > 0) {
  console.error(`ipclab: cannot build the native addon: missing ${missing.join(', ')}; ${BUILD_TOOLS_HINT}.`);
  process.exit(1);
}
process.exit(runNodeGyp(['rebuild']));
