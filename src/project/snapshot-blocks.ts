/**
 * Finds the `{% snapshot name %} ... {% endsnapshot %}` blocks of a snapshot file.
 *
 * A snapshot file may hold several blocks, and only what is inside a block is a snapshot's code
 * (dbt reads the blocks and ignores the text around them). The body keeps its place in the file:
 * it is returned padded with the newlines and spaces that precede it, so that a Jinja or SQL error
 * in a snapshot reports the line and column of the file, not of the block.
 *
 * Comments (`{# ... #}`) and `{% raw %}` sections are skipped while scanning, so a commented-out
 * block is not read as a snapshot.
 */
import { MartqlError } from '../errors';

export interface SnapshotBlock {
  name: string;
  /** The text between the tags, exactly as written. */
  body: string;
  /** `body` preceded by blank space standing for everything before it in the file. */
  paddedBody: string;
  /** 1-based line of the `{% snapshot %}` tag. */
  line: number;
}

const TOKEN =
  /\{#[\s\S]*?#\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{%-?\s*(snapshot|endsnapshot)\b\s*([^%]*?)\s*-?%\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The blocks of `contents` in file order; `file` names the file in errors. */
export function snapshotBlocks(contents: string, file: string): SnapshotBlock[] {
  const blocks: SnapshotBlock[] = [];
  let open: { name: string; bodyStart: number; line: number } | undefined;
  for (const m of contents.matchAll(TOKEN)) {
    const tag = m[1];
    if (tag === undefined) continue;
    const line = lineAt(contents, m.index);
    if (tag === 'snapshot') {
      if (open) {
        throw new MartqlError('JINJA_SYNTAX', `snapshot ${open.name} is not closed before the next block`, {
          location: { file, line },
          hint: 'end each snapshot with {% endsnapshot %}',
        });
      }
      const name = m[2];
      if (!NAME.test(name)) {
        throw new MartqlError('JINJA_SYNTAX', `a snapshot block needs a name: {% snapshot my_snapshot %}`, {
          location: { file, line },
        });
      }
      open = { name, bodyStart: m.index + m[0].length, line };
    } else {
      if (!open) {
        throw new MartqlError('JINJA_SYNTAX', '{% endsnapshot %} without a {% snapshot %} block', {
          location: { file, line },
        });
      }
      const body = contents.slice(open.bodyStart, m.index);
      blocks.push({
        name: open.name,
        body,
        paddedBody: pad(contents, open.bodyStart) + body,
        line: open.line,
      });
      open = undefined;
    }
  }
  if (open) {
    throw new MartqlError('JINJA_SYNTAX', `snapshot ${open.name} has no {% endsnapshot %}`, {
      location: { file, line: open.line },
    });
  }
  return blocks;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/** Newlines for the lines before `offset`, then spaces up to its column. */
function pad(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return '\n'.repeat(lines.length - 1) + ' '.repeat(lines[lines.length - 1].length);
}
