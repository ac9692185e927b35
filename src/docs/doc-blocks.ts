/**
 * `{% docs name %}...{% enddocs %}` blocks and the `{{ doc('name') }}` references descriptions make
 * to them. dbt renders descriptions through Jinja with a `doc` function; a description that is not
 * plain text is nearly always exactly such a reference (a long explanation kept in a Markdown file
 * and shared by several columns), so the docs resolve those and leave any other text as written.
 */
import type { ProjectFile } from '../project/types';

export interface DocBlocks {
  /** `package.name` -> the block's text, trimmed. */
  byPackage: Map<string, string>;
  /** The root project's name: `doc('x')` looks there after the describing node's own package. */
  rootPackage: string;
}

const BLOCK = /\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
const REFERENCE = /\{\{-?\s*doc\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?\)\s*-?\}\}/g;

export function collectDocBlocks(files: readonly ProjectFile[], rootPackage: string): DocBlocks {
  const byPackage = new Map<string, string>();
  for (const file of files) {
    for (const match of file.contents.matchAll(BLOCK))
      byPackage.set(`${file.package}.${match[1]}`, match[2].trim());
  }
  return { byPackage, rootPackage };
}

/**
 * The description with each `{{ doc('name') }}` (or `doc('package', 'name')`) replaced by its block;
 * a reference to no known block stays as written, so the gap shows.
 */
export function resolveDocReferences(text: string, blocks: DocBlocks, ownPackage: string): string {
  if (!text.includes('doc(')) return text;
  return text.replace(REFERENCE, (whole, _q1, first: string, _q2, second: string | undefined) => {
    const candidates =
      second === undefined
        ? [`${ownPackage}.${first}`, `${blocks.rootPackage}.${first}`]
        : [`${first}.${second}`];
    for (const key of candidates) {
      const block = blocks.byPackage.get(key);
      if (block !== undefined) return block;
    }
    return whole;
  });
}
