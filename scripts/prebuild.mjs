#!/usr/bin/env node
// Pack time (npm's prepack): builds the addon once for this platform with prebuildify into
// prebuilds/<platform>-<arch>/ipclab.napi.<libc>.node, which node-gyp-build loads after an install
// with no compiler and no install script, and puts the native reference (ipclab-reference, which
// `ipclab bench --transports native` runs) and libipclab.so (the C ABI, which the Python package
// loads) beside it. Node-API makes one build serve every Node version.
// The build runs in a scratch copy, so the checkout's own build/ is never touched.
//
// The packed package.json has no install-time scripts: `prepare` (tsc; prepack compiled dist/, which
// the tarball carries)
// and `install` (the from-source build, which the prebuild makes unnecessary) are left out and
// `gypfile` is false (else npm adds "node-gyp rebuild"), so npm 11 has no script to ask approval
// for. Where no prebuild fits, the import error names the one command that builds from source.
// `--clean` (npm's postpack) puts the checkout's package.json back and removes prebuilds/.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUILD_TOOLS_HINT, findNodeGyp, missingBuildTools, nodePrefix } from './native-toolchain.mjs';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prebuilds = path.join(packageRoot, 'prebuilds');

const manifest = path.join(packageRoot, 'package.json');
/** The checkout's own package.json while the packed one is in its place. */
const manifestBeforePack = path.join(packageRoot, '.package.json.before-pack');

/** Puts the checkout's package.json back (after a pack, or a pack that stopped half way). */
function restoreManifest() {
  if (existsSync(manifestBeforePack)) renameSync(manifestBeforePack, manifest);
}

if (process.argv.includes('--clean')) {
  restoreManifest();
  rmSync(prebuilds, { recursive: true, force: true });
  process.exit(0);
}
restoreManifest();

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
  const platformFolder = path.join(prebuilds, `${process.platform}-${process.arch}`);
  copyFileSync(path.join(scratch, 'build', 'Release', 'ipclab-reference'), path.join(platformFolder, 'ipclab-reference'));
  copyFileSync(path.join(scratch, 'build', 'Release', 'libipclab.so'), path.join(platformFolder, 'libipclab.so'));
  writePackedManifest();
  console.error(`ipclab: prebuilt addon, native reference and libipclab for ${process.platform}-${process.arch} written to prebuilds/`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The package.json the tarball carries: the checkout's, without install-time scripts. */
function writePackedManifest() {
  const text = readFileSync(manifest, 'utf8');
  const packed = JSON.parse(text);
  delete packed.scripts.prepare;
  delete packed.scripts.install;
  packed.gypfile = false;
  copyFileSync(manifest, manifestBeforePack);
  writeFileSync(manifest, `${JSON.stringify(packed, null, 2)}\n`);
}
