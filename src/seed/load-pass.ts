/**
 * One pass over a seed that does everything at once: validates each record, infers kinds from every
 * value (`KindSniffer`), and yields the bytes COPY should read (`CopyWriter`). Used while COPY
 * runs, so the scanning on this thread overlaps Postgres parsing and inserting on its own.
 */
import { CopyWriter } from './copy-writer';
import { CsvScanner } from './csv-scanner';
import { KindSniffer } from './infer-types';
import { emptySeedError, toSeedError } from './scan-seed';
import type { SeedSource } from './seed-source';
import type { Kind } from './value-kind';

export class LoadPass {
  private readonly sniffer: KindSniffer;
  private readonly writer: CopyWriter;
  private readonly scanner: CsvScanner;
  /** True once every byte was scanned (so `kinds` and `rows` are final). */
  finished = false;

  constructor(
    private readonly source: SeedSource,
    private readonly path: string,
    delimiter: string,
    isOverridden: (column: string) => boolean,
  ) {
    this.sniffer = new KindSniffer(isOverridden);
    this.writer = new CopyWriter(delimiter);
    const { sniffer, writer } = this;
    this.scanner = new CsvScanner(
      (r) => {
        sniffer.onRecord(r);
        writer.onRecord(r);
      },
      { delimiter, onChunkDone: writer.onChunkDone },
    );
  }

  get kinds(): Kind[] {
    return this.sniffer.kinds;
  }

  /** Data records scanned (the header excluded). */
  get rows(): number {
    return Math.max(0, this.scanner.records - 1);
  }

  /** The COPY input; throws a located SEED error at the first malformed record. */
  async *bytes(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of this.source.chunks()) {
        this.scanner.push(chunk);
        yield* this.writer.take();
      }
      this.scanner.end();
    } catch (err) {
      throw toSeedError(this.path, err);
    }
    if (this.scanner.records === 0) throw emptySeedError(this.path);
    yield* this.writer.take();
    this.finished = true;
  }
}
