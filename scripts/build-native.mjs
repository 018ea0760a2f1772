#!/usr/bin/env node
// Builds the addon with npm's bundled node-gyp against the running Node's own headers,
// so the build never tries to download headers (the machine may be offline).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const nodePrefix = path.dirname(path.dirname(process.execPath));
const headers = path.join(nodePrefix, 'include', 'node', 'node_api.h');
if (!existsSync(headers)) {
  console.error(`ipclab: Node headers not found at ${headers}; install your Node's headers (the nodejs-dev package, or a Node tarball) and retry.`);
  process.exit(1);
}

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(nodePrefix, 'share', 'nodejs', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally: npm's bundled copy is expected
  }
  return candidates.find((file) => file && existsSync(file));
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) {
  console.error('ipclab: node-gyp not found; run this through npm (npm run build:native), which ships it.');
  process.exit(1);
}
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodePrefix}`], { stdio: 'inherit' });
process.exit(result.status ?? 1);
