/**
 * A generated project of 2,000 models in 100 folders, each folder with a property file, loads with
 * every model configured. The time is logged, not asserted tightly (benchmarks own timing).
 */
import { loadProject } from '../../src/project';
import { cleanUp, writeProject } from './helpers';

afterAll(cleanUp);

function generate(models: number, perFolder: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let f = 0; f < models / perFolder; f++) {
    const folder = `models/area_${f % 10}/group_${f}`;
    const entries: string[] = ['version: 2', 'models:'];
    for (let i = 0; i < perFolder; i++) {
      const name = `model_${f}_${i}`;
      const upstream = i === 0 ? `{{ source('raw', 't_${f}') }}` : `{{ ref('model_${f}_${i - 1}') }}`;
      files[`${folder}/${name}.sql`] =
        `{{ config(materialized='table') }}\nselect id, amount * ${i} as amount, '{{ var("tag", "x") }}' as tag\nfrom ${upstream}\n`;
      entries.push(
        `  - name: ${name}`,
        `    description: Model ${i} of group ${f}.`,
        '    columns:',
        '      - name: id',
        '        data_type: integer',
        '        data_tests: [unique, not_null]',
        '      - name: amount',
        '        data_type: numeric',
        '        data_tests:',
        '          - accepted_values: {values: [1, 2], quote: false, config: {severity: warn}}',
      );
    }
    entries.push('sources:', `  - name: raw_${f}`, '    schema: raw', '    tables:', `      - name: t_${f}`);
    files[`${folder}/_schema.yml`] = entries.join('\n') + '\n';
  }
  return files;
}

describe('a 2,000-model project', () => {
  it('loads every model with config and properties', async () => {
    const dir = writeProject(
      generate(2000, 20),
      'name: big\nmodels:\n  big:\n    +materialized: view\n    area_3:\n      +tags: [three]\n',
    );
    await loadProject(dir); // warm up module loading and the disk cache
    const started = process.hrtime.bigint();
    const project = await loadProject(dir);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`loaded 2,000 models + 100 property files in ${ms.toFixed(1)} ms`);
    expect(project.models).toHaveLength(2000);
    expect(project.propertyFiles).toHaveLength(100);
    expect(project.sources).toHaveLength(100);
    expect(project.models.every((m) => m.properties?.columns.length === 2)).toBe(true);
    expect(project.models.filter((m) => m.config.tags.includes('three'))).toHaveLength(200);
    expect(ms).toBeLessThan(5000);
  });
});
