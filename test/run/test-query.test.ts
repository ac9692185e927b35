import { defaultConfig } from '../../src/project/merge-configs';
import { testStatus, testVerdictSql } from '../../src/run/test-query';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

describe('test verdicts', () => {
  let tw: TestWarehouse;
  beforeAll(async () => {
    tw = await openTestWarehouse();
  });
  afterAll(() => tw.cleanup());

  const failingRows = 'select x from generate_series(1, 3) as x';

  it.each([
    [{}, 'fail', 3],
    [{ severity: 'warn' }, 'warn', 3],
    [{ warn_if: '>1', error_if: '>5' }, 'warn', 3],
    [{ warn_if: '>5', error_if: '>5' }, 'pass', 3],
    [{ error_if: '>= 3' }, 'fail', 3],
    [{ limit: 2 }, 'fail', 2],
  ])('config %j gives %s with %i failures, counted by the database', async (extra, status, failures) => {
    const config = { ...defaultConfig('test'), ...extra };
    const { rows } = await tw.wh.query<{
      failures: string | number;
      should_warn: boolean;
      should_error: boolean;
    }>(testVerdictSql(failingRows, config));
    const row = { ...rows[0], failures: Number(rows[0].failures) };
    expect(row.failures).toBe(failures);
    expect(testStatus(row, config)).toBe(status);
  });

  it('rejects a warn_if that is not a comparison (it would be SQL injected into the query)', () => {
    expect(() =>
      testVerdictSql(failingRows, { ...defaultConfig('test'), warn_if: '> 0; drop table x' }),
    ).toThrow(/comparison/);
  });
});
