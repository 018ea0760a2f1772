#!/usr/bin/env node
// Pack time (npm's prepack): builds the addon once for this platform with prebuildify into
// prebuilds/<platform>-<arch>/ipclab.napi.<libc>.node (and libipclab.so beside it), which node-gyp-build loads after an install
// with no compiler and no install script. Node-API makes one build serve every Node version.
// The build runs in a scratch copy, so the checkout's own build/ is never touched;
// `--clean` (npm's postpack) removes prebuilds/ again, so a checkout keeps building from source.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD_TOOLS_HINT, findNodeGyp, missingBuildTools, nodePrefix } from './native-toolchain.mjs';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prebuilds = path.join(packageRoot, 'prebuilds');

if (process.argv.includes('--clean')) {
  rmSync(prebuilds, { recursive: true, force: true });
  process.exit(0);
}

const missing = missingBuildTools();
if (missing.length > 0) {
  console.error(`ipclab: cannot build the prebuilt addon: missing ${missing.join(', ')}; ${BUILD_TOOLS_HINT}.`);
  process.exit(1);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ipclab-prebuild-'));
try {
  for (const item of ['package.json', 'binding.gyp', 'native', 'include']) cpSync(path.join(packageRoot, item), path.join(scratch, item), { recursive: true });
  symlinkSync(path.join(packageRoot, 'node_modules'), path.join(scratch, 'node_modules'));
  rmSync(prebuilds, { recursive: true, force: true });
  process.env.npm_config_nodedir = nodePrefix; // node-gyp uses this Node's headers, never downloads
  process.env.JOBS ??= 'max'; // make -j: one compiler per core
  const prebuildify = createRequire(import.meta.url)('prebuildify');
  await new Promise((resolve, reject) => {
    prebuildify(
      { cwd: scratch, out: packageRoot, name: 'ipclab.napi', napi: true, tagLibc: true, strip: true, targets: [`node@${process.versions.node}`], nodeGyp: findNodeGyp(), quiet: true },
      (error) => (error ? reject(error) : resolve()),
    );
  });
  // libipclab (the C ABI, which the Python package loads) beside the addon it was built with.
  cpSync(path.join(scratch, 'build', 'Release', 'libipclab.so'), path.join(prebuilds, `${process.platform}-${process.arch}`, 'libipclab.so'));
  console.error(`ipclab: prebuilt addon for ${process.platform}-${process.arch} written to prebuilds/`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
