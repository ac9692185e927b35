/**
 * Shell-style wildcards (`*`, `?`, `[abc]`) as dbt accepts them in selector values (Python's
 * fnmatch). Compiled patterns are cached: one selection tests each pattern against every node.
 */

const cache = new Map<string, RegExp>();

export function hasWildcard(value: string): boolean {
  return /[*?[\]]/.test(value);
}

/** Whole-string match; a value without wildcards is compared as plain text. */
export function globMatch(value: string, pattern: string): boolean {
  if (!hasWildcard(pattern)) return value === pattern;
  return compile(pattern).test(value);
}

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  re = new RegExp(`^${source}$`, 's');
  cache.set(pattern, re);
  return re;
}
