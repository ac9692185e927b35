/**
 * Doc blocks: `{{ doc('name') }}` resolves in the describing node's package first, then the root
 * project; `doc('pkg', 'name')` in that package only; whitespace control and both quote styles
 * work; a reference to no block stays as written so the gap shows.
 */
import { collectDocBlocks, resolveDocReferences } from '../../src/docs/doc-blocks';
import type { ProjectFile } from '../../src/project/types';

const file = (pkg: string, contents: string): ProjectFile => ({
  package: pkg,
  path: 'models/docs.md',
  absPath: `/p/${pkg}/models/docs.md`,
  contents,
  checksum: '',
});

const blocks = collectDocBlocks(
  [
    file(
      'root',
      '{% docs status %}\nRoot status.\n{% enddocs %}\n{%- docs shared -%} Root shared. {%- enddocs -%}',
    ),
    file(
      'pkg',
      '{% docs status %}Package status.{% enddocs %}\n\nnot a block\n{% docs only_pkg %}Only here.{% enddocs %}',
    ),
  ],
  'root',
);

describe('doc blocks', () => {
  it('collects every block by package, trimmed', () => {
    expect([...blocks.byPackage].sort()).toEqual([
      ['pkg.only_pkg', 'Only here.'],
      ['pkg.status', 'Package status.'],
      ['root.shared', 'Root shared.'],
      ['root.status', 'Root status.'],
    ]);
  });

  it.each([
    ['{{ doc("status") }}', 'root', 'Root status.'],
    ["{{ doc('status') }}", 'pkg', 'Package status.'],
    ["{{- doc('shared') -}}", 'pkg', 'Root shared.'],
    ["{{ doc('only_pkg') }}", 'root', "{{ doc('only_pkg') }}"],
    ["{{ doc('pkg', 'only_pkg') }}", 'root', 'Only here.'],
    ["{{ doc('root', 'only_pkg') }}", 'root', "{{ doc('root', 'only_pkg') }}"],
    ["See {{ doc('status') }} and {{ doc('shared') }}.", 'root', 'See Root status. and Root shared..'],
    ['Plain text, no doc.', 'root', 'Plain text, no doc.'],
  ])('%s in %s', (text, pkg, expected) => {
    expect(resolveDocReferences(text, blocks, pkg)).toBe(expected);
  });
});
