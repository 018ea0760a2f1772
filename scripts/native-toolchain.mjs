// What building the addon from source needs, and the build itself: npm's bundled node-gyp run
// against the running Node's own headers, so nothing is ever downloaded. Shared by the install
// script, `npm run build:native` and the pack-time prebuild.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The running Node's install prefix; its include/node holds the headers node-gyp needs. */
export const nodePrefix = path.dirname(path.dirname(process.execPath));

/** How a person gets what is missing, said once; the command works from any folder, in a checkout or an app. */
export const BUILD_TOOLS_HINT = `install them (Debian/Ubuntu: apt-get install g++ make python3; Fedora: dnf install gcc-c++ make python3), then run: node ${JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), 'build-native.mjs'))}`;

function onPath(command) {
  if (command.includes('/')) return isExecutable(command);
  return (process.env.PATH ?? '').split(path.delimiter).some((directory) => directory !== '' && isExecutable(path.join(directory, command)));
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** npm's bundled node-gyp (node-gyp is not a dependency: its newest needs a newer Node). */
export function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(nodePrefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(nodePrefix, 'share', 'nodejs', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally: npm's bundled copy is expected
  }
  return candidates.find((file) => file && existsSync(file));
}

/** What a from-source build lacks on this machine, each as a short phrase; empty when nothing. */
export function missingBuildTools() {
  const missing = [];
  // make's own default for CXX is g++; node-gyp's Makefile compiles and links with it.
  const compiler = (process.env.CXX ?? 'g++').trim().split(/\s+/)[0];
  if (!onPath(compiler)) missing.push(`a C++ compiler (${compiler}${process.env.CXX ? ', from CXX' : ''})`);
  if (!onPath('make')) missing.push('make');
  const python = process.env.PYTHON ?? process.env.npm_config_python ?? 'python3';
  if (!onPath(python)) missing.push(`python3 (${python})`);
  if (!existsSync(path.join(nodePrefix, 'include', 'node', 'node_api.h'))) {
    missing.push(`the Node headers in ${path.join(nodePrefix, 'include', 'node')} (Debian: the nodejs package ships them; or use a Node tarball)`);
  }
  if (findNodeGyp() === undefined) missing.push('node-gyp (npm ships it: run this through npm)');
  return missing;
}

/**
 * Whether a build shows node-gyp's own output (its ~60 "gyp info" lines and the compiler's) as it
 * runs: IPCLAB_BUILD_VERBOSE=1, or npm's --loglevel verbose or silly (npm ci --loglevel verbose).
 * Otherwise the output is kept and shown only when the build fails.
 */
export function buildIsVerbose() {
  return ['1', 'true'].includes(process.env.IPCLAB_BUILD_VERBOSE ?? '') || ['verbose', 'silly'].includes(process.env.npm_config_loglevel ?? '');
}

/**
 * `node-gyp <args>` in `cwd` against this Node's headers; returns its exit status. Quiet unless
 * buildIsVerbose(): one line when it worked, node-gyp's whole output (on stderr) when it failed.
 */
export function runNodeGyp(args, { cwd = process.cwd() } = {}) {
  const nodeGyp = findNodeGyp();
  const command = [nodeGyp, ...args, `--nodedir=${nodePrefix}`];
  if (buildIsVerbose()) return spawnSync(process.execPath, command, { cwd, stdio: 'inherit' }).status ?? 1;
  const started = performance.now();
  const result = spawnSync(process.execPath, command, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const status = result.status ?? 1;
  if (status === 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.error(`ipclab: built the native addon from source in ${seconds} s (build/Release; IPCLAB_BUILD_VERBOSE=1 shows node-gyp's output)`);
  } else {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  }
  return status;
}
