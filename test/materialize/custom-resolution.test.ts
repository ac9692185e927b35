/**
 * Which block `materialized='name'` runs: the one written for the adapter before a default one,
 * the root project's before a package's, and only the root project may replace a built-in. Blocks
 * belong to their project: two projects in one process each run their own.
 */
import { parseProjectDir } from '../../src/compile/compile-project';
import { materializationFor } from '../../src/materialize';
import { findMaterializationMacro } from '../../src/materialize/custom/find-macro';
import { runProject } from '../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

/** A block that builds `select '<label>' as built_by`, whatever the model says. */
const block = (name: string, adapter: string, label: string) =>
  `{% materialization ${name}, ${adapter === 'default' ? 'default' : `adapter='${adapter}'`} %}
  {% call statement('main') %}{{ create_table_as(False, this, "select '${label}'::text as built_by") }}{% endcall %}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
`;

const PROJECT = {
  'packages.yml': 'packages:\n  - local: pkg\n',
  'pkg/dbt_project.yml': 'name: pkg\nversion: "1.0"\nconfig-version: 2\n',
  'pkg/macros/blocks.sql': [
    block('both', 'default', 'pkg default'),
    block('specific', 'postgres', 'pkg postgres'),
    block('only_pkg', 'default', 'pkg default'),
    block('view', 'default', 'pkg view'),
    block('other_adapter', 'snowflake', 'pkg snowflake'),
  ].join(''),
  'macros/blocks.sql': [
    block('both', 'default', 'root default'),
    block('specific', 'default', 'root default'),
    block('table', 'default', 'root table'),
  ].join(''),
  'models/a.sql': 'select 1 as x',
};

describe('choosing a materialization block', () => {
  it('prefers the adapter’s block, then the root project, and lets only the root replace a built-in', async () => {
    const project = tempProject(PROJECT);
    try {
      const { session } = await parseProjectDir(project.dir, { noParseCache: true });
      const found = (name: string, builtIn = false) => {
        const entry = findMaterializationMacro(session.macros, name, { builtIn });
        return entry && `${entry.info.package}.${entry.info.name}`;
      };
      expect(found('both')).toBe('demo.materialization_both_default');
      expect(found('specific')).toBe('pkg.materialization_specific_postgres');
      expect(found('only_pkg')).toBe('pkg.materialization_only_pkg_default');
      expect(found('other_adapter')).toBeUndefined();
      expect(found('table', true)).toBe('demo.materialization_table_default');
      expect(found('view', true)).toBeUndefined();

      // A built-in replaced by the root is a block; one a package tries to replace stays built in.
      expect(materializationFor('table', { macros: session.macros })).not.toBe(materializationFor('table'));
      expect(materializationFor('view', { macros: session.macros })).toBe(materializationFor('view'));
      expect(() => materializationFor('other_adapter', { macros: session.macros, model: 'a' })).toThrow(
        /^model a: unknown materialization 'other_adapter' \(known: both, ephemeral, incremental, only_pkg, specific, table, view\)$/,
      );
    } finally {
      project.cleanup();
    }
  });

  describe('built', () => {
    let pw: ProjectWarehouse;
    beforeAll(async () => {
      pw = await openProjectWarehouse();
    });
    afterAll(() => pw?.cleanup());

    const builtBy = async (schema: string, name: string) =>
      (await pw.wh.query<{ built_by: string }>(`select built_by from "${schema}"."${name}"`)).rows[0]
        ?.built_by;

    it('runs the chosen block, and each project its own', async () => {
      const first = tempProject({
        ...PROJECT,
        'models/m_both.sql': "{{ config(materialized='both') }} select 1",
        'models/m_specific.sql': "{{ config(materialized='specific') }} select 1",
        'models/m_table.sql': "{{ config(materialized='table') }} select 1",
        'models/m_view.sql': "{{ config(materialized='view') }} select 'the model' as built_by",
      });
      const second = tempProject({
        'macros/blocks.sql': block('both', 'default', 'second project'),
        'models/m_both.sql': "{{ config(materialized='both') }} select 1",
      });
      try {
        const run = (dir: string, schema: string) =>
          runProject({
            projectDir: dir,
            command: 'run',
            warehouse: pw.wh,
            target: { ...pw.target, schema },
            stateSchema: pw.stateSchema,
            noParseCache: true,
          });
        const a = `${pw.schema}_a`;
        const b = `${pw.schema}_b`;
        const [one, two] = [await run(first.dir, a), await run(second.dir, b)];
        expect([...one.results, ...two.results].filter((r) => r.status !== 'success')).toEqual([]);
        expect(await builtBy(a, 'm_both')).toBe('root default');
        expect(await builtBy(a, 'm_specific')).toBe('pkg postgres');
        expect(await builtBy(a, 'm_table')).toBe('root table');
        expect(await builtBy(a, 'm_view')).toBe('the model');
        expect((await pw.wh.getRelation(a, 'm_view'))?.type).toBe('view');
        expect(await builtBy(b, 'm_both')).toBe('second project');
      } finally {
        first.cleanup();
        second.cleanup();
      }
    });
  });
});
