/**
 * dbt's block tags, each parsed into an ordinary macro under dbt's naming scheme:
 * `{% test not_null(model) %}` -> `test_not_null`, `{% materialization table, default %}` ->
 * `materialization_table_default`, `{% materialization m, adapter='postgres' %}` ->
 * `materialization_m_postgres`, `{% docs orders %}` -> `docs_orders`, `{% snapshot s %}` ->
 * `snapshot_s`. The macro node remembers its kind for listMacros().
 */
import { Lexer as L, Nodes as N } from '../nunjucks-internals';
import type { MacroKind } from '../nodes';

export function macroNode(p: any, tok: any, name: string, kind: MacroKind, args: any, end: string): any {
  const node = new N.Macro(tok.lineno, tok.colno, new N.Symbol(tok.lineno, tok.colno, name), args);
  node.kind = kind;
  node.body = p.parseMacroBody(end);
  return node;
}

export function parseTestBlock(p: any): any {
  const tok = p.nextToken();
  const name = p.expect(L.TOKEN_SYMBOL);
  const args = p.parseSignature();
  p.advanceAfterBlockEnd(tok.value);
  return macroNode(p, tok, `test_${name.value}`, 'test', args, 'endtest');
}

export function parseMaterialization(p: any): any {
  const tok = p.nextToken();
  const name = p.expect(L.TOKEN_SYMBOL).value;
  let adapter = 'default';
  while (p.skip(L.TOKEN_COMMA)) {
    const key = p.nextToken();
    if (key.type !== L.TOKEN_SYMBOL)
      p.fail('expected default or adapter= in materialization', key.lineno, key.colno);
    if (p.skipValue(L.TOKEN_OPERATOR, '=')) {
      const value = p.parseExpression();
      if (key.value === 'adapter') {
        if (!(value instanceof N.Literal) || typeof value.value !== 'string') {
          p.fail('adapter= must be a string literal', value.lineno, value.colno);
        }
        adapter = value.value;
      }
    } else if (key.value !== 'default')
      p.fail(`unexpected '${key.value}' in materialization`, key.lineno, key.colno);
  }
  p.advanceAfterBlockEnd(tok.value);
  const args = new N.NodeList(tok.lineno, tok.colno);
  return macroNode(
    p,
    tok,
    `materialization_${name}_${adapter}`,
    'materialization',
    args,
    'endmaterialization',
  );
}

export function parseNamedBlock(p: any, kind: 'docs' | 'snapshot'): any {
  const tok = p.nextToken();
  const name = p.expect(L.TOKEN_SYMBOL).value;
  p.advanceAfterBlockEnd(tok.value);
  return macroNode(p, tok, `${kind}_${name}`, kind, new N.NodeList(tok.lineno, tok.colno), `end${kind}`);
}
