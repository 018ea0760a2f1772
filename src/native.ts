// Loads the addon: IPCLAB_ADDON when set (for example build-cmake/Release/ipclab.node); otherwise
// node-gyp-build picks node-gyp's build or the prebuilt one a packed ipclab carries; then cmake-js's.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { IpcError } from './errors.js';

export interface SharedMemoryHandle {
  buffer(): ArrayBuffer;
  close(): void;
  created(): boolean;
}

export interface SemaphoreHandle {
  post(): void;
  tryWait(spinMicros?: number): boolean;
  waitSync(timeoutMs: number): boolean;
  wait(timeoutMs: number, spinMicros?: number): Promise<boolean>;
  value(): number;
  close(): void;
}

/** The ShmChannel layout, protocol version 3 (native/core/channel_layout.hpp, docs/channel-protocol.md). */
export interface ChannelLayout {
  magic: number;
  version: number;
  magicOffset: number;
  versionOffset: number;
  ringBytesOffset: number;
  stateOffset: number;
  handleTableLockOffset: number;
  unsentOffset: number;
  tailOffset: number;
  tailSequenceOffset: number;
  headOffset: number;
  consumerWaitingOffset: number;
  consumerWakeSequenceOffset: number;
  consumerDoorbellOffset: number;
  producerWaitingOffset: number;
  producerWakeSequenceOffset: number;
  producerDoorbellOffset: number;
  wakeSequenceDelta: number;
  doorbellDelta: number;
  headerBytes: number;
  producerClosed: number;
  consumerClosed: number;
  waitFutex: number;
  waitDoorbell: number;
  minRingBytes: number;
  maxRingBytes: number;
  recordAlignment: number;
  recordSizeOffset: number;
  recordKindOffset: number;
  recordFlagsOffset: number;
  recordSequenceOffset: number;
  recordMessageBytesOffset: number;
  recordHeaderBytes: number;
  firstRecordHeaderBytes: number;
  recordPadding: number;
  recordFirst: number;
  recordContinued: number;
  kindBytes: number;
  kindDataView: number;
  kindJson: number;
  kindValue: number;
  handleTableOffset: number;
  handleEntrySize: number;
  handlePidOffset: number;
  handleFlagsOffset: number;
  handleStartTimeOffset: number;
  maxHandles: number;
  handleProducer: number;
  handleConsumer: number;
  handleClosed: number;
}

export interface Addon {
  SharedMemoryHandle: {
    create(name: string, size: number, mode: number, exclusive: boolean, populate: boolean): SharedMemoryHandle;
    open(name: string, readOnly: boolean, populate: boolean): SharedMemoryHandle;
    unlink(name: string): boolean;
  };
  SemaphoreHandle: {
    create(name: string, initial: number, mode: number, exclusive: boolean): SemaphoreHandle;
    open(name: string): SemaphoreHandle;
    unlink(name: string): boolean;
    createIn(segment: SharedMemoryHandle, offset: number, initial: number): SemaphoreHandle;
    openIn(segment: SharedMemoryHandle, offset: number): SemaphoreHandle;
    readonly byteLength: number;
    readonly alignment: number;
  };
  setErrorClass(errorClass: typeof IpcError): void;
  measureMemcpy(bytes: number): { freshSeconds: number; warmSeconds: number };
  /** The two-process floor's halves (native/core/segment_reference.hpp). */
  fillFreshSegment(name: string, bytes: number): { setupSeconds: number; produceSeconds: number };
  readSegment(name: string, bytes: number): { seconds: number; verified: boolean };
  channelLayout: ChannelLayout;
  /**
   * The waker's step of the channel protocol for the waiting word at `waitingOffset` (the
   * consumer's or the producer's): clears it and wakes the futex sleeper and/or doorbell it names.
   * Returns the bits it cleared (0: nobody slept). Call it only after a load saw the word non-zero.
   */
  wakeWaiter(segment: SharedMemoryHandle, waitingOffset: number): number;
  /** Writes this environment's doorbell id into the waiting line at `waitingOffset`; false when no doorbell can be made. */
  armDoorbell(segment: SharedMemoryHandle, waitingOffset: number): boolean;
  /** Resolves true at this environment's next doorbell ring (possibly a stale one), false after `timeoutMs` (-1: never). */
  waitDoorbell(timeoutMs: number): Promise<boolean>;
  /** Rings this environment's doorbell when process `pid` exits (a pidfd): a watch token, or 0 when no watch can be made. */
  watchProcessExit(pid: number): number;
  /** Whether the watch `token` still waits: false once its process exited or it was ended. */
  watchingProcessExit(token: number): boolean;
  /** Ends the watch `token` (a no-op once it ended). */
  unwatchProcessExit(token: number): void;
}

/** The folder of this ipclab package (a checkout, or node_modules/ipclab in an app). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The command that builds the addon and the native reference from source, true from any folder. */
export const BUILD_FROM_SOURCE = `node ${JSON.stringify(path.join(packageRoot, 'scripts', 'build-native.mjs'))}`;
const require = createRequire(import.meta.url);

/** cmake-js's build, tried when node-gyp-build finds neither a node-gyp build nor a prebuild. */
export const cmakeBuild = path.join(packageRoot, 'build-cmake', 'Release', 'ipclab.node');

/**
 * The addon file: IPCLAB_ADDON when set; else what node-gyp-build picks (build/Release, then the
 * prebuilt prebuilds/<platform>-<arch>/*.node that a packed ipclab carries); else cmake-js's build.
 */
export function addonPath(): string {
  const chosen = process.env.IPCLAB_ADDON;
  if (chosen) return path.resolve(chosen);
  try {
    return (require('node-gyp-build') as { path(dir: string): string }).path(packageRoot);
  } catch {
    if (existsSync(cmakeBuild)) return cmakeBuild;
  }
  const platform = `${process.platform}-${process.arch}`;
  throw new IpcError(
    `the ipclab addon is not built and no prebuilt addon for ${platform} is in ${path.join(packageRoot, 'prebuilds')}; ` +
      `build it from source (a C++ compiler, make and python3 needed): ${BUILD_FROM_SOURCE}`,
    { code: 'ERR_ADDON_NOT_BUILT' },
  );
}

/** The file the addon was loaded from. */
export const loadedAddonPath = addonPath();

function load(): Addon {
  const addon = require(loadedAddonPath) as Addon;
  addon.setErrorClass(IpcError);
  return addon;
}

export const addon: Addon = load();
