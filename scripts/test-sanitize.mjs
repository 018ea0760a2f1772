#!/usr/bin/env node
// npm run test:sanitize: builds the addon, the channel core's test program and the native
// reference with AddressSanitizer and UndefinedBehaviorSanitizer into build-sanitize/ (cmake-js,
// same sources), runs every case of the core's test program (leak detection on: it is plain C++),
// then the native-facing tests against the addon with libasan preloaded into every Node process
// they start (leak detection off: Node itself does not free everything at exit). Passes only with
// 0 sanitizer reports. `npm run test:sanitize -- test/a.test.ts ...` runs those test files instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = '-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined';
// The native-facing tests: everything that calls into the addon directly.
// (native.core.test.ts runs the core's test program, which runs here directly, with leak detection.)
// Test files given on the command line (npm run test:sanitize -- test/x.test.ts) replace them.
const chosen = process.argv.slice(2);
const tests =
  chosen.length > 0
    ? chosen
    : readdirSync(path.join(root, 'test'))
        .filter((file) => /^(native|shm|semaphore|channel|leaks|errors|interop)\..*\.test\.ts$/.test(file) && file !== 'native.core.test.ts')
        .map((file) => `test/${file}`);

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: false });
  if (result.status !== 0) {
    console.error(`test:sanitize: ${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}

const cmakeJs = path.join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
run(process.execPath, [cmakeJs, 'compile', '-d', 'native', '-O', 'build-sanitize', `--CDCMAKE_CXX_FLAGS=${flags}`, `--CDCMAKE_SHARED_LINKER_FLAGS=${flags}`]);

const libasan = spawnSync('g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
if (!path.isAbsolute(libasan)) {
  console.error('test:sanitize: libasan.so not found (g++ -print-file-name=libasan.so); install the compiler\'s ASan runtime');
  process.exit(1);
}
const reports = mkdtempSync(path.join(tmpdir(), 'sanitize-reports-'));
const env = {
  ...process.env,
  IPCLAB_ADDON: path.join(root, 'build-sanitize', 'Release', 'ipclab.node'),
  IPCLAB_SANITIZE: '1',  // tests that exhaust a limit ASan itself needs skip themselves
  LD_PRELOAD: libasan,
  ASAN_OPTIONS: `detect_leaks=0:log_path=${reports}/asan:abort_on_error=1`,
  UBSAN_OPTIONS: `print_stacktrace=1:log_path=${reports}/ubsan`,
};
// A hostile peer may announce a message of up to 2^53 bytes: receiving it into memory of its own is
// then ENOMEM, which ASan would otherwise turn into an abort.
const coreTest = path.join(root, 'build-sanitize', 'Release', 'ipclab-core-test');
const coreCases = spawnSync(coreTest, ['list'], { encoding: 'utf8' }).stdout.trim().split('\n');
const core = spawnSync(coreTest, ['run', ...coreCases], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    ASAN_OPTIONS: `detect_leaks=1:allocator_may_return_null=1:log_path=${reports}/asan-core:abort_on_error=1`,
    UBSAN_OPTIONS: `print_stacktrace=1:log_path=${reports}/ubsan-core`,
  },
});
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
// Sanitized processes run several times slower: give each test five minutes instead of one.
const suite = spawnSync(process.execPath, [vitest, 'run', '--testTimeout=300000', ...tests], { cwd: root, stdio: 'inherit', env });
const found = readdirSync(reports);
for (const file of found) {
  console.error(`== ${file}`);
  console.error(readFileSync(path.join(reports, file), 'utf8'));
}
rmSync(reports, { recursive: true, force: true });
if (found.length > 0) {
  console.error(`test:sanitize: ${found.length} sanitizer report(s), above`);
  process.exit(1);
}
if (core.status !== 0) {
  console.error(`test:sanitize: the channel core's test program failed under the sanitizers (${core.signal ?? `exit ${core.status}`})`);
  process.exit(1);
}
if (suite.status !== 0) {
  console.error(`test:sanitize: the suite failed under the sanitizers (${suite.signal ?? `exit ${suite.status}`})`);
  process.exit(1);
}
console.log('test:sanitize: the suite passed with 0 sanitizer reports');
