/**
 * Where a seed's bytes come from: text already in memory or a file streamed from disk. Both read as
 * a sequence of Buffers, from the start or from a byte offset (the second pass of a clean file
 * starts right after the header), so the passes never hold more than a chunk of a file.
 */
import { createReadStream } from 'node:fs';

export type CsvInput = { text: string } | { file: string };

const CHUNK_BYTES = 1 << 20;

export class SeedSource {
  private bytes: Buffer | undefined;

  constructor(private readonly input: CsvInput) {}

  /** The input's bytes from byte `start`, in chunks of about a megabyte. */
  async *chunks(start = 0): AsyncGenerator<Buffer> {
    if ('file' in this.input) {
      const stream = createReadStream(this.input.file, { start, highWaterMark: CHUNK_BYTES });
      for await (const chunk of stream) yield chunk as Buffer;
      return;
    }
    this.bytes ??= Buffer.from(this.input.text, 'utf8');
    for (let at = start; at < this.bytes.length; at += CHUNK_BYTES) {
      yield this.bytes.subarray(at, Math.min(at + CHUNK_BYTES, this.bytes.length));
    }
  }
}
