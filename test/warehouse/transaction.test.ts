import { MartqlError } from '../../src/errors';
import { qualify } from '../../src/warehouse';
import { describePostgres, openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

let t: TestWarehouse;
let table: string;
beforeAll(async () => {
  t = await openTestWarehouse();
  table = qualify(t.schema, 'accounts');
  await t.wh.query(`create table ${table} (id int primary key, balance int not null)`);
});
afterAll(() => t?.cleanup());
beforeEach(() => t.wh.query(`truncate ${table}`));

const ids = async () =>
  (await t.wh.query<{ id: number }>(`select id from ${table} order by id`)).rows.map((r) => r.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transaction', () => {
  it('commits and returns the callback value', async () => {
    const value = await t.wh.transaction(async (tx) => {
      await tx.query(`insert into ${table} values (1, 10), (2, 20)`);
      expect(tx.querySync(`select count(*) as n from ${table}`).rows[0].n).toBe(2);
      return 'done';
    });
    expect(value).toBe('done');
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls back and rethrows when the callback throws', async () => {
    const boom = new Error('boom');
    await expect(
      t.wh.transaction(async (tx) => {
        await tx.query(`insert into ${table} values (1, 10)`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await ids()).toEqual([]);
  });

  it('rolls back and rethrows the MartqlError when a statement fails', async () => {
    const err = await t.wh
      .transaction(async (tx) => {
        await tx.query(`insert into ${table} values (1, 10)`);
        await tx.query(`insert into ${table} values (1, 11)`);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).data?.sqlstate).toBe('23505');
    expect(await ids()).toEqual([]);
  });

  it('reports a transaction whose failed statement was swallowed as rolled back', async () => {
    const err = await t.wh
      .transaction(async (tx) => {
        await tx.query(`insert into ${table} values (1, 10)`);
        await tx.query('select 1/0').catch(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).data).toMatchObject({ sqlstate: '25P02', reason: 'rolled-back' });
    expect(await ids()).toEqual([]);
  });

  it('refuses a transaction session used after its transaction', async () => {
    let escaped: { query(sql: string): Promise<unknown> } | undefined;
    await t.wh.transaction(async (tx) => {
      escaped = tx;
    });
    await expect(escaped!.query('select 1')).rejects.toThrow(/after its transaction ended/);
  });

  it('keeps uncommitted rows invisible to the warehouse session until COMMIT (Postgres) or queues it (PGlite)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = t.wh.transaction(async (s) => {
      await s.query(`insert into ${table} values (5, 50)`);
      await gate;
    });
    await sleep(50);
    const outside = t.wh.query<{ n: number }>(`select count(*) as n from ${table}`);
    if (t.wh.kind === 'postgres') {
      expect((await outside).rows[0].n).toBe(0);
      release();
    } else {
      // PGlite has one connection: the outside query waits for the transaction to end.
      let settled = false;
      void outside.then(() => (settled = true));
      await sleep(50);
      expect(settled).toBe(false);
      release();
      expect((await outside).rows[0].n).toBe(1);
    }
    await tx;
    expect(await ids()).toEqual([5]);
  });
});

describe('withLock', () => {
  it('runs two holders of one key one after the other', async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      t.wh.withLock('refresh:model_a', async () => {
        events.push(`${name} start`);
        await sleep(100);
        events.push(`${name} end`);
        return name;
      });
    expect(await Promise.all([holder('a'), holder('b')])).toEqual(['a', 'b']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('lets different keys run concurrently and releases on error', async () => {
    const events: string[] = [];
    const holder = (key: string) =>
      t.wh.withLock(key, async () => {
        events.push(`${key} start`);
        await sleep(50);
        events.push(`${key} end`);
      });
    await Promise.all([holder('x'), holder('y')]);
    expect(events.slice(0, 2).sort()).toEqual(['x start', 'y start']);
    await expect(t.wh.withLock('x', () => Promise.reject(new Error('inside')))).rejects.toThrow('inside');
    await expect(t.wh.withLock('x', async () => 'again')).resolves.toBe('again');
  });

  it('refuses to re-enter a held key instead of hanging', async () => {
    await expect(t.wh.withLock('k', () => t.wh.withLock('k', async () => 1))).rejects.toThrow(
      /already holding/,
    );
  });
});

describe('synchronous queries and open transactions', () => {
  it('runs sync queries inside the transaction session', async () => {
    await t.wh.transaction(async (tx) => {
      await tx.query(`insert into ${table} values (1, 1)`);
      expect(tx.getRelationSync(t.schema, 'accounts')?.type).toBe('table');
      expect(tx.querySync(`select count(*) as n from ${table}`).rows[0].n).toBe(1);
    });
  });

  it('PGlite: a sync query on the warehouse while a transaction is open throws instead of deadlocking', async () => {
    if (t.wh.kind !== 'pglite') return;
    // The sync query comes from outside the transaction's async context (a timer scheduled before it),
    // as a template render for another model would.
    let err: unknown;
    const probe = new Promise<void>((resolve) =>
      setTimeout(() => {
        try {
          t.wh.querySync('select 1');
        } catch (e) {
          err = e;
        }
        resolve();
      }, 100),
    );
    await t.wh.transaction(async (tx) => {
      await tx.query(`insert into ${table} values (1, 1)`);
      await probe;
    });
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).data).toMatchObject({ reason: 'would-deadlock' });
    expect((err as MartqlError).message).toMatch(/open transaction/);
    expect(await ids()).toEqual([1]);
    expect(t.wh.querySync('select 1 as ok').rows).toEqual([{ ok: 1 }]);
  });

  it('a sync query goes ahead of a transaction that was requested but has not run a statement yet', async () => {
    const slow = t.wh.query('select pg_sleep(0.2)');
    const tx = t.wh.transaction((s) => s.query(`insert into ${table} values (3, 3)`));
    expect(t.wh.querySync(`select count(*) as n from ${table}`).rows[0].n).toBe(0);
    await Promise.all([slow, tx]);
    expect(await ids()).toEqual([3]);
  });

  it('PGlite: using the warehouse inside its own transaction callback throws instead of hanging', async () => {
    if (t.wh.kind !== 'pglite') return;
    await expect(t.wh.transaction(() => t.wh.query('select 1'))).rejects.toThrow(
      /inside its own transaction/,
    );
    await expect(t.wh.transaction(async () => t.wh.querySync('select 1'))).rejects.toThrow(
      /inside its own transaction/,
    );
  });
});

describePostgres('Postgres only', () => {
  it('a sync query blocked by a lock of our own open transaction is cancelled, not deadlocked', async () => {
    await t.wh.transaction(async (tx) => {
      await tx.query(`lock table ${table} in access exclusive mode`);
      const started = Date.now();
      let err: unknown;
      try {
        t.wh.querySync(`select count(*) from ${table}`);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MartqlError);
      expect((err as MartqlError).data).toMatchObject({ reason: 'would-deadlock' });
      expect(Date.now() - started).toBeLessThan(5000);
    });
    expect(t.wh.querySync(`select count(*) as n from ${table}`).rows[0].n).toBe(0);
  });

  it('a sync query is not refused while a transaction is open on another connection', async () => {
    await t.wh.transaction(async (tx) => {
      await tx.query(`insert into ${table} values (9, 9)`);
      expect(t.wh.querySync(`select count(*) as n from ${table}`).rows[0].n).toBe(0);
    });
  });

  it('applies statement_timeout, application_name and the pool size', async () => {
    const other = await openTestWarehouse({
      statementTimeoutMs: 200,
      applicationName: 'martql-test',
      poolSize: 2,
    });
    try {
      const { rows } = await other.wh.query(
        `select current_setting('application_name') as app, current_setting('statement_timeout') as st`,
      );
      expect(rows[0]).toEqual({ app: 'martql-test', st: '200ms' });
      const err = await other.wh.query('select pg_sleep(1)').catch((e: MartqlError) => e);
      expect(err).toMatchObject({ code: 'DATABASE', data: { sqlstate: '57014' } });
      const pids = await Promise.all(
        Array.from({ length: 6 }, () =>
          other.wh.query<{ pid: number }>('select pg_backend_pid() as pid, pg_sleep(0.05)'),
        ),
      );
      expect(new Set(pids.map((r) => r.rows[0].pid)).size).toBeLessThanOrEqual(2);
    } finally {
      await other.cleanup();
    }
  });

  it('withLock excludes another process (another warehouse) on the same key', async () => {
    const other = await openTestWarehouse();
    try {
      const events: string[] = [];
      const hold = (wh: typeof t.wh, name: string) =>
        wh.withLock('shared-key', async () => {
          events.push(`${name} start`);
          await sleep(150);
          events.push(`${name} end`);
        });
      const first = hold(t.wh, 'a');
      await sleep(30);
      await Promise.all([first, hold(other.wh, 'b')]);
      expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    } finally {
      await other.cleanup();
    }
  });
});
