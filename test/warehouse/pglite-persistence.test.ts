import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openWarehouse } from '../../src/warehouse';

describe('PGlite data directory', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'martql-pglite-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is created when missing and keeps data across close and reopen', async () => {
    const dataDir = path.join(root, 'nested', 'pglite');
    const first = await openWarehouse({ dataDir });
    expect(first.kind).toBe('pglite');
    await first.createSchema('kept');
    await first.exec(
      `create table kept.items (id int, label text); insert into kept.items values (1, 'one'), (2, 'two')`,
    );
    await first.transaction((tx) =>
      tx.copyFrom({ schema: 'kept', name: 'items' }, ['id', 'label'], '3,three\n'),
    );
    await first.close();

    const second = await openWarehouse({ dataDir });
    try {
      expect((await second.query('select id, label from kept.items order by id')).rows).toEqual([
        { id: 1, label: 'one' },
        { id: 2, label: 'two' },
        { id: 3, label: 'three' },
      ]);
      expect(second.getRelationSync('kept', 'items')?.type).toBe('table');
    } finally {
      await second.close();
    }
  });

  it('fails every call after close with a clear error', async () => {
    const wh = await openWarehouse({});
    await wh.close();
    await expect(wh.query('select 1')).rejects.toThrow(/closed/);
    expect(() => wh.querySync('select 1')).toThrow(/closed/);
  });
});
