// The registry: every transport, in the order reports list them.
import type { Transport, TransportId } from '../types.js';
import { shmElementTransport } from './shm-element.js';
import { shmZeroCopyTransport } from './shm-zero-copy.js';
import { shmTransport } from './shm.js';

export const transports: Transport[] = [shmElementTransport, shmTransport, shmZeroCopyTransport];

export function transportById(id: string): Transport | undefined {
  return transports.find((transport) => transport.id === id);
}

export const transportIds = (): TransportId[] => transports.map((transport) => transport.id);
