/**
 * The statement tags dbt enables on top of core Jinja: `{% do %}` (jinja2.ext.do),
 * `{% break %}` / `{% continue %}` (jinja2.ext.loopcontrols), and core Jinja's `{% with %}`, which
 * nunjucks lacks.
 */
import { Lexer as L, Nodes as N } from '../nunjucks-internals';
import { Do, LoopControl, With } from '../nodes';

export function parseDo(p: any): any {
  const tok = p.nextToken();
  const node = new Do(tok.lineno, tok.colno, p.parseTupleExpression());
  p.advanceAfterBlockEnd(tok.value);
  return node;
}

export function parseLoopControl(p: any): any {
  const tok = p.nextToken();
  if (!p.loopDepth) p.fail(`'${tok.value}' outside of a loop`, tok.lineno, tok.colno);
  p.advanceAfterBlockEnd(tok.value);
  return new LoopControl(tok.lineno, tok.colno, tok.value);
}

export function parseWith(p: any): any {
  const tok = p.nextToken();
  const targets: any[] = [];
  const values: any[] = [];
  while (p.peekToken()?.type !== L.TOKEN_BLOCK_END) {
    if (targets.length && !p.skip(L.TOKEN_COMMA)) p.fail('expected comma in with statement');
    const target = p.parsePrimary(true);
    if (!(target instanceof N.Symbol))
      p.fail('expected a name in with statement', target.lineno, target.colno);
    if (!p.skipValue(L.TOKEN_OPERATOR, '='))
      p.fail("expected '=' in with statement", target.lineno, target.colno);
    targets.push(target);
    values.push(p.parseExpression());
  }
  p.advanceAfterBlockEnd(tok.value);
  const body = p.parseUntilBlocks('endwith');
  p.advanceAfterBlockEnd();
  return new With(tok.lineno, tok.colno, targets, values, body);
}
