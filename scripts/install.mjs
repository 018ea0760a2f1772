#!/usr/bin/env node
// npm's install step for ipclab. Nothing to do when a prebuilt addon for this platform loads
// (prebuilds/, made at pack time) or the local build is newer than every native source; otherwise
// build from source, and when that cannot work, say in one line what is missing and how to fix it.
// npm_config_build_from_source=true (npm rebuild --build-from-source) always builds.
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD_TOOLS_HINT, missingBuildTools, runNodeGyp } from './native-toolchain.mjs';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const platform = `${process.platform}-${process.arch}`;

/** The prebuilt addon for this platform when it exists and loads; undefined otherwise. */
function loadablePrebuild() {
  process.env.PREBUILDS_ONLY = '1'; // node-gyp-build reads it when first required
  try {
    const file = require('node-gyp-build').path(packageRoot);
    require(file);
    return file;
  } catch {
    return undefined;
  }
}

function newestSourceTime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(file));
    else if (/\.(c|cc|cpp|h|hpp)$/.test(entry.name)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/** True when build/Release/ipclab.node is newer than binding.gyp and every native source. */
function localBuildIsCurrent() {
  try {
    const built = statSync(path.join(packageRoot, 'build', 'Release', 'ipclab.node')).mtimeMs;
    const sources = Math.max(statSync(path.join(packageRoot, 'binding.gyp')).mtimeMs, newestSourceTime(path.join(packageRoot, 'native')));
    return built >= sources;
  } catch {
    return false;
  }
}

const fromSource = ['true', 'ipclab'].includes(process.env.npm_config_build_from_source ?? '');
if (!fromSource && (loadablePrebuild() !== undefined || localBuildIsCurrent())) process.exit(0);

const missing = missingBuildTools();
if (missing.length > 0) {
  console.error(`ipclab: no prebuilt addon for ${platform} here, and building it from source needs ${missing.join(', ')}; ${BUILD_TOOLS_HINT}.`);
  process.exit(1);
}
const status = runNodeGyp(['rebuild'], { cwd: packageRoot });
if (status !== 0) console.error(`ipclab: building the native addon from source failed (node-gyp exited with ${status}); its messages are above.`);
process.exit(status);
