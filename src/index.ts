export { IpcError, type IpcErrorCode, type IpcErrorFields } from './errors.js';
export { SharedMemory, type CreateSharedMemoryOptions, type OpenSharedMemoryOptions } from './shared-memory.js';
export { MAX_SPIN_MICROS, Semaphore, SEMAPHORE_VALUE_MAX, type CreateSemaphoreOptions, type SemaphoreTimedWaitOptions, type SemaphoreWaitOptions } from './semaphore.js';
export {
  ShmChannel,
  type ChannelPayload,
  type ChannelWaitOptions,
  type CloseChannelOptions,
  type CreateChannelOptions,
  type OpenChannelOptions,
  type ReceiveManyOptions,
} from './channel/channel.js';
export { listOwnObjects, removeLeftovers, type CleanOptions, type CleanResult, type Leftover } from './cleanup.js';
export { MAX_TAG_LENGTH, uniqueName } from './names.js';
export { MAX_NAME_LENGTH, MAX_SEGMENT_BYTES } from './validate.js';
