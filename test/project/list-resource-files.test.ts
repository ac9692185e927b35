/**
 * listResourceFiles builds each file's package-relative path from its folder's instead of calling
 * path.relative per file: the result must be what path.relative gives, for any resource folder.
 */
import * as path from 'node:path';
import { hashHex, listResourceFiles, toPosix } from '../../src/project/files';
import { createHash } from 'node:crypto';
import { tempProject } from '../helpers/temp-project';

describe('listResourceFiles paths', () => {
  const files = {
    'models/a.sql': 'select 1',
    'models/staging/deep/b.sql': 'select 2',
    'src/models/c.sql': 'select 3',
    'src/models/x/y/z/d.sql': 'select 4',
    '..odd/e.sql': 'select 5',
  };

  it.each(['models', 'models/', './models', 'src/models', 'src//models/', '..odd', '.', ''])(
    'resource folder %j: paths as path.relative gives them',
    async (resourcePath) => {
      const p = tempProject(files);
      try {
        const listed = await listResourceFiles(p.dir, resourcePath);
        expect(listed.length).toBeGreaterThan(0);
        for (const f of listed) expect(f.path).toBe(toPosix(path.relative(p.dir, f.absPath)));
        if (resourcePath === 'models')
          expect(listed.map((f) => f.path)).toEqual(['models/a.sql', 'models/staging/deep/b.sql']);
      } finally {
        p.cleanup();
      }
    },
  );

  it('a resource folder outside the package', async () => {
    const p = tempProject({ 'pkg/dbt_project.yml': 'name: x\n', 'shared/m.sql': 'select 1' });
    try {
      const listed = await listResourceFiles(path.join(p.dir, 'pkg'), '../shared');
      expect(listed.map((f) => f.path)).toEqual(['../shared/m.sql']);
    } finally {
      p.cleanup();
    }
  });
});

describe('hashHex', () => {
  it.each(['', 'select 1', 'é ü 🙂 \u0000 tail', 'x'.repeat(100_000)])(
    'equals a Hash object for %#',
    (text) => {
      for (const algorithm of ['sha256', 'md5'] as const)
        expect(hashHex(algorithm, text)).toBe(createHash(algorithm).update(text).digest('hex'));
    },
  );
});
