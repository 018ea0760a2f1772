// Loads the addon. IPCLAB_ADDON selects a build (for example build-cmake/Release/ipclab.node);
// otherwise node-gyp's build, then cmake-js's, is used.
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
  tryWait(): boolean;
  waitSync(timeoutMs: number): boolean;
  wait(timeoutMs: number): Promise<boolean>;
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
  producerPidOffset: number;
  consumerPidOffset: number;
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
  maxSlots: number;
  headerBytes: number;
  slotAlignment: number;
}

export interface Addon {
  SharedMemoryHandle: {
    create(name: string, size: number, mode: number, exclusive: boolean, populate: boolean): SharedMemoryHandle;
    open(name: string, readOnly: boolean): SharedMemoryHandle;
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
  channelLayout: ChannelLayout;
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const addonCandidates = [
  path.join(packageRoot, 'build', 'Release', 'ipclab.node'),
  path.join(packageRoot, 'build-cmake', 'Release', 'ipclab.node'),
];

export function addonPath(): string {
  const chosen = process.env.IPCLAB_ADDON;
  if (chosen) return path.resolve(chosen);
  const found = addonCandidates.find((file) => existsSync(file));
  if (!found) {
    throw new IpcError(
      `the ipclab addon is not built (looked for ${addonCandidates.join(' and ')}); run "npm run build:native"`,
      { code: 'ERR_ADDON_NOT_BUILT' },
    );
  }
  return found;
}

/** The file the addon was loaded from. */
export const loadedAddonPath = addonPath();

function load(): Addon {
  const file = loadedAddonPath;
  const addon = createRequire(import.meta.url)(file) as Addon;
  addon.setErrorClass(IpcError);
  return addon;
}

export const addon: Addon = load();
