/**
 * dbt renders Jinja in a source's `database`, `schema` and `identifier` (`schema: "{{ var('raw_schema',
 * 'raw') }}"`), so one project can read its raw data from a schema chosen per environment. Those
 * fields are rendered here, once per invocation, with `var`, `env_var` and `target` available.
 */
import { MartqlError } from '../errors';
import { createNodeContext } from '../jinja/context/node-context';
import type { SourceTable } from '../project/types';
import type { CompileSession } from './compile-session';

const FIELDS = ['database', 'schema', 'identifier'] as const;

export function renderSourceFields(cs: CompileSession): void {
  for (const source of cs.project.sources) {
    for (const field of FIELDS) {
      const value = source[field];
      if (typeof value !== 'string' || !value.includes('{')) continue;
      (source as SourceTable)[field] = render(cs, source, value);
    }
  }
}

function render(cs: CompileSession, source: SourceTable, text: string): string {
  const { context, scope } = createNodeContext(cs.settings, {
    package: source.package,
    path: source.location.file,
    execute: false,
    ref: () => {
      throw new MartqlError('JINJA_RENDER', 'a source cannot call ref()');
    },
    source: () => {
      throw new MartqlError('JINJA_RENDER', 'a source cannot call source()');
    },
    config: { set: () => undefined, get: () => undefined },
    model: {},
    isIncremental: () => false,
  });
  try {
    return scope
      .run(() =>
        cs.engine.render(
          cs.engine.compile(text, `${source.location.file} (source ${source.sourceName})`),
          context,
        ),
      )
      .trim();
  } catch (err) {
    throw err instanceof MartqlError ? err.at(source.location) : err;
  }
}
