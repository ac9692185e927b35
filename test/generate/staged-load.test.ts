import { generate, RAW_TABLES } from '../../src/generate';
import { stagingSchemaOf } from '../../src/generate/staged-load';
import { qualify, quoteIdent } from '../../src/warehouse';
import { type GeneratorTestWarehouse, openGeneratorWarehouse, tableHashes } from './helpers';

// On Postgres, generate loads through two connections into a staging schema and swaps it in; on
// PGlite it loads in one transaction. Either way these must hold.
let t: GeneratorTestWarehouse;
beforeAll(async () => {
  t = await openGeneratorWarehouse();
});
afterAll(async () => {
  await t?.cleanup();
});

const hashes = (schema: string) => tableHashes(t.wh, schema);

const schemaExists = (schema: string) => t.wh.schemaExists(schema);

describe('generate through a staging schema', () => {
  it('leaves no staging schema, drops one left by a crashed run, and reports progress that only grows', async () => {
    const schema = await t.extraSchema('staged');
    const staging = stagingSchemaOf(schema);
    if (t.wh.kind === 'postgres') {
      // What a run killed mid-load leaves (PGlite loads in one transaction and leaves nothing).
      await t.wh.createSchema(staging);
      await t.wh.query(`create table ${qualify(staging, 'touchpoints')} (x int)`);
    }
    const fractions: number[] = [];
    const summary = await generate(t.wh, {
      customers: 1200,
      days: 60,
      seed: 3,
      schema,
      onProgress: (e) => fractions.push(e.fraction),
    });
    expect(await schemaExists(staging)).toBe(false);
    expect(Object.keys(summary.rows)).toEqual([...RAW_TABLES]);
    for (const table of RAW_TABLES) {
      const { rows } = await t.wh.query<{ n: number }>(
        `select count(*)::int as n from ${qualify(schema, table)}`,
      );
      expect(rows[0].n).toBe(summary.rows[table]);
    }
    expect(fractions.length).toBeGreaterThan(4);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions[fractions.length - 1]).toBe(1);
  });

  it('a failure in either stream leaves the previous tables and no staging schema', async () => {
    const schema = await t.extraSchema('staged_fail');
    await generate(t.wh, { customers: 120, days: 30, seed: 21, schema });
    const before = await hashes(schema);
    for (const failing of ['product_usage', 'customers'] as const) {
      const run = generate(t.wh, {
        customers: 600,
        days: 30,
        seed: 22,
        schema,
        onProgress: (e) => {
          if (e.table === failing && e.done >= 100) throw new Error(`${failing} broke`);
        },
      });
      await expect(run).rejects.toThrow(`${failing} broke`);
      expect(await hashes(schema)).toEqual(before);
      expect(await schemaExists(stagingSchemaOf(schema))).toBe(false);
    }
  });

  it('shortens the staging schema name to 63 bytes', () => {
    expect(stagingSchemaOf('raw')).toBe('raw__martql_load');
    const long = stagingSchemaOf('é'.repeat(40));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long.endsWith('__martql_load')).toBe(true);
    expect(quoteIdent(long)).toContain('__martql_load');
    // Two long names alike in their first 50 bytes get two staging schemas; emoji are not split.
    const a = stagingSchemaOf(`${'x'.repeat(50)}_a`);
    const b = stagingSchemaOf(`${'x'.repeat(50)}_b`);
    expect(a).not.toBe(b);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    const emoji = stagingSchemaOf('🎉'.repeat(20));
    expect(Array.from(emoji).every((c) => c === '🎉' || /[\w]/.test(c))).toBe(true);
  });
});
