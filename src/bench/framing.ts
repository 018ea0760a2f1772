// One framing for every byte stream of the benchmark: length-prefixed chunks. A chunk is a u32
// data length, four zero bytes that keep the data 8-byte aligned, then the data. A frame
// (codecs/frame.ts) is a header, chunks, and an empty chunk that ends it; a message on a stream
// (messages/node.ts) is one chunk.

export const CHUNK_HEADER_BYTES = 8;
/** Larger data is split into several chunks (a chunk's length is a u32). */
export const MAX_CHUNK_BYTES = 2 ** 30;

export function chunkHeader(byteLength: number): Uint8Array {
  if (!(byteLength >= 0 && byteLength <= MAX_CHUNK_BYTES)) throw new RangeError(`a chunk holds 0 to ${MAX_CHUNK_BYTES} bytes, got ${byteLength}`);
  const header = Buffer.alloc(CHUNK_HEADER_BYTES);
  header.writeUInt32LE(byteLength, 0);
  return header;
}

/** A fixed number of bytes that may arrive split across pieces. */
export class FixedBytes {
  readonly bytes: Buffer;
  filled = 0;

  constructor(size: number) {
    this.bytes = Buffer.alloc(size);
  }

  get full(): boolean {
    return this.filled === this.bytes.byteLength;
  }

  /** Copies what is still missing from `source` at `offset`; returns how many bytes it took. */
  take(source: Uint8Array, offset: number): number {
    const taken = Math.min(this.bytes.byteLength - this.filled, source.byteLength - offset);
    this.bytes.set(source.subarray(offset, offset + taken), this.filled);
    this.filled += taken;
    return taken;
  }
}

/** What a ChunkReader hands on: each piece of a chunk's data as it arrives, then the chunk's end. */
export interface ChunkHandler {
  data(piece: Uint8Array): void;
  /** The chunk of `byteLength` bytes is complete; return true to stop reading right after it. */
  end(byteLength: number): boolean;
}

/** Reads chunks out of bytes that arrive in pieces of any size, without copying their data. */
export class ChunkReader {
  readonly #header = new FixedBytes(CHUNK_HEADER_BYTES);
  #length = 0;
  #remaining = 0;
  #inData = false;

  /** Reads from `bytes` at `offset` until they run out or the handler stops; returns the offset reached. */
  read(bytes: Uint8Array, offset: number, handler: ChunkHandler): number {
    while (offset < bytes.byteLength) {
      if (!this.#inData) {
        offset += this.#header.take(bytes, offset);
        if (!this.#header.full) break;
        this.#length = this.#remaining = this.#header.bytes.readUInt32LE(0);
        this.#header.filled = 0;
        this.#inData = true;
      }
      const taken = Math.min(this.#remaining, bytes.byteLength - offset);
      if (taken > 0) {
        handler.data(bytes.subarray(offset, offset + taken));
        this.#remaining -= taken;
        offset += taken;
      }
      if (this.#remaining > 0) break;
      this.#inData = false;
      if (handler.end(this.#length)) break;
    }
    return offset;
  }
}
