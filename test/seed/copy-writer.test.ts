import { CopyWriter } from '../../src/seed/copy-writer';
import { CsvScanner } from '../../src/seed/csv-scanner';

/** What COPY would be sent for `csv`, fed in chunks of `step` bytes. */
function copyBytes(csv: string, step = 1 << 20): { out: string; dirty: number } {
  const writer = new CopyWriter(',');
  const scanner = new CsvScanner(writer.onRecord, { onChunkDone: writer.onChunkDone });
  const bytes = Buffer.from(csv);
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += step) {
    scanner.push(bytes.subarray(at, at + step));
    parts.push(...writer.take());
  }
  scanner.end();
  parts.push(...writer.take());
  return { out: Buffer.concat(parts).toString(), dirty: writer.dirty };
}

describe('CopyWriter', () => {
  it.each([
    ['passes clean data through without the header', 'a,b\n1,"x,y"\n2,z', '1,"x,y"\n2,z', 0],
    ['turns "" into an unquoted empty field (NULL)', 'a,b\n"",1\n2,""\n', ',1\n2,\n', 2],
    ['keeps a non-empty quoted field as written', 'a\n"x""y"\n', '"x""y"\n', 0],
    ['drops blank lines', 'a\n1\n\n\n2\n', '1\n2\n', 0],
    ['makes line ends match the first record', 'a\r\n1\r\n2\n3\r\n', '1\r\n2\r\n3\r\n', 1],
    ['quotes a record COPY would read as end of data', 'a\n\\.\nb\n', '"\\."\nb\n', 1],
    ['skips a BOM with the header', '\ufeffa\n1\n', '1\n', 0],
  ])('%s', (_name, csv, expected, dirty) => {
    for (const step of [1, 2, 5, 1 << 20]) {
      expect(copyBytes(csv, step)).toEqual({ out: expected, dirty });
    }
  });
});
