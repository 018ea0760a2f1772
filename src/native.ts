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

export interface ChannelLayout {
  magic: number;
  version: number;
  magicOffset: number;
  versionOffset: number;
  slotCountOffset: number;
  stateOffset: number;
  handleTableLockOffset: number;
  slotSizeOffset: number;
  dataReadySemOffset: number;
  slotFreeSemOffset: number;
  slotTableOffset: number;
  producerClosed: number;
  consumerClosed: number;
  consumerAttached: number;
  slotEntrySize: number;
  entryMessageBytesOffset: number;
  entryChunkOffsetOffset: number;
  entryChunkBytesOffset: number;
  entryKindOffset: number;
  entrySequenceOffset: number;
  handleTableOffset: number;
  handleEntrySize: number;
  handlePidOffset: number;
  handleFlagsOffset: number;
  handleStartTimeOffset: number;
  maxHandles: number;
  handleProducer: number;
  handleConsumer: number;
  handleClosed: number;
  maxSlots: number;
  headerBytes: number;
  slotAlignment: number;
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
  /** The two-process floor's halves (native/core/segment_floor.hpp). */
  fillFreshSegment(name: string, bytes: number): number;
  readSegment(name: string, bytes: number): { seconds: number; verified: boolean };
  channelLayout: ChannelLayout;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
      'build it with a C++ compiler, make and python3 installed: "npm rebuild ipclab --foreground-scripts" ' +
      '(npm 11 skips install scripts until allowed: "npm install-scripts approve ipclab"), or "npm run build:native" in a checkout',
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
