/**
 * Statement-level parser patches over nunjucks 3.2.4 (subclass of ExprParser): Jinja's `{% set %}`
 * (tuple unpacking, `ns.attr` targets, block form), `{% for %}` with an `if` filter, Python-style
 * trailing colons (`{% if execute: %}` in dbt's statement.sql), dbt's block tags, `do`/`with`/loop
 * controls, and a loud JINJA_UNSUPPORTED for constructs MartQL does not implement.
 */
import { Lexer as L, Nodes as N } from './nunjucks-internals';
import { ExprParser } from './parser-patches';
import { parseDo, parseLoopControl, parseWith } from './extensions/control';
import { macroNode, parseMaterialization, parseNamedBlock, parseTestBlock } from './extensions/dbt-blocks';
import { UnsupportedConstruct } from './unsupported';

const UNSUPPORTED: Record<string, string> = {
  extends: '{% extends %} (template inheritance)',
  block: '{% block %} (template inheritance)',
  include: '{% include %}',
  import: '{% import %}',
  from: '{% from ... import %}',
  autoescape: '{% autoescape %}',
};

export class JinjaParser extends ExprParser {
  loopDepth = 0;

  parseStatement(): any {
    const tok = this.peekToken();
    if (tok.type !== L.TOKEN_SYMBOL) this.fail('tag name expected', tok.lineno, tok.colno);
    if (this.breakOnBlocks && this.breakOnBlocks.includes(tok.value)) return null;
    switch (tok.value) {
      case 'raw':
        return this.parseRaw();
      case 'if':
        return this.parseIf();
      case 'for':
        return this.parseFor();
      case 'set':
        return this.parseSet();
      case 'macro':
        return this.parseMacro();
      case 'call':
        return this.parseCall();
      case 'filter':
        return this.parseFilterStatement();
      case 'do':
        return parseDo(this);
      case 'break':
      case 'continue':
        return parseLoopControl(this);
      case 'with':
        return parseWith(this);
      case 'test':
        return parseTestBlock(this);
      case 'materialization':
        return parseMaterialization(this);
      case 'docs':
      case 'snapshot':
        return parseNamedBlock(this, tok.value);
      default:
        if (tok.value in UNSUPPORTED)
          throw new UnsupportedConstruct(UNSUPPORTED[tok.value], tok.lineno, tok.colno);
        this.fail(`Encountered unknown tag '${tok.value}'`, tok.lineno, tok.colno);
    }
  }

  /** Accepts the trailing colon Python habits put before `%}`. */
  skipColon(): void {
    this.skip(L.TOKEN_COLON);
  }

  parseIf(): any {
    const tag = this.nextToken();
    const node = new N.If(tag.lineno, tag.colno);
    node.cond = this.parseExpression();
    this.skipColon();
    this.advanceAfterBlockEnd(tag.value);
    node.body = this.parseUntilBlocks('elif', 'else', 'endif');
    const tok = this.peekToken();
    switch (tok && tok.value) {
      case 'elif':
        node.else_ = this.parseIf();
        break;
      case 'else':
        this.nextToken();
        this.skipColon();
        this.advanceAfterBlockEnd('else');
        node.else_ = this.parseUntilBlocks('endif');
        this.advanceAfterBlockEnd();
        break;
      case 'endif':
        node.else_ = null;
        this.advanceAfterBlockEnd();
        break;
      default:
        this.fail('expected elif, else or endif, got end of template', tag.lineno, tag.colno);
    }
    return node;
  }

  parseFor(): any {
    const tag = this.nextToken();
    const node = new N.For(tag.lineno, tag.colno);
    node.name = this.parseTargets('for');
    if (!this.skipSymbol('in')) this.fail("expected 'in' in for loop", tag.lineno, tag.colno);
    node.arr = this.parseOr();
    if (this.peekToken()?.type === L.TOKEN_COMMA) {
      const t = new N.Array(node.arr.lineno, node.arr.colno, [node.arr]);
      t.isTuple = true;
      while (this.skip(L.TOKEN_COMMA)) t.addChild(this.parseOr());
      node.arr = t;
    }
    if (this.skipSymbol('if')) node.filter = this.parseExpression();
    const rec = this.peekToken();
    if (rec?.type === L.TOKEN_SYMBOL && rec.value === 'recursive') {
      throw new UnsupportedConstruct(
        '{% for ... recursive %} (recursive loops)',
        rec.lineno,
        rec.colno,
        'use a recursive macro instead',
      );
    }
    this.skipColon();
    this.advanceAfterBlockEnd(tag.value);
    this.loopDepth++;
    node.body = this.parseUntilBlocks('endfor', 'else');
    this.loopDepth--;
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      node.else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return node;
  }

  /** `x`, `a, b` or `(a, b)`: a Symbol, or an Array of Symbols. */
  parseTargets(what: string): any {
    const paren = this.skip(L.TOKEN_LEFT_PAREN);
    const first = this.parsePrimary(true);
    if (!(first instanceof N.Symbol))
      this.fail(`expected a variable name in ${what}`, first.lineno, first.colno);
    if (this.peekToken()?.type !== L.TOKEN_COMMA) {
      if (paren && !this.skip(L.TOKEN_RIGHT_PAREN)) this.fail(`expected ')' in ${what}`);
      return first;
    }
    const names = new N.Array(first.lineno, first.colno, [first]);
    while (this.skip(L.TOKEN_COMMA)) {
      const tok = this.peekToken();
      if (tok.type !== L.TOKEN_SYMBOL || tok.value === 'in') break;
      names.addChild(this.parsePrimary(true));
    }
    if (paren && !this.skip(L.TOKEN_RIGHT_PAREN)) this.fail(`expected ')' in ${what}`);
    return names;
  }

  parseSet(): any {
    const tag = this.nextToken();
    const node = new N.Set(tag.lineno, tag.colno, []);
    do {
      const target = this.parsePrimary();
      const ok = target instanceof N.Symbol || (target instanceof N.LookupVal && target.isDot);
      if (!ok) this.fail('can only assign to a name or a namespace attribute', target.lineno, target.colno);
      node.targets.push(target);
    } while (this.skip(L.TOKEN_COMMA));
    if (this.skipValue(L.TOKEN_OPERATOR, '=')) {
      node.value = this.parseTupleExpression();
      this.advanceAfterBlockEnd(tag.value);
      return node;
    }
    if (node.targets.length !== 1) this.fail('a block set assigns one name', tag.lineno, tag.colno);
    if (this.peekToken()?.type === L.TOKEN_PIPE) {
      throw new UnsupportedConstruct('{% set x | filter %} (filtered block set)', tag.lineno, tag.colno);
    }
    this.advanceAfterBlockEnd(tag.value);
    node.body = new N.Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
    node.value = null;
    this.advanceAfterBlockEnd();
    return node;
  }

  parseMacro(): any {
    const tag = this.nextToken();
    const name = this.parsePrimary(true);
    if (!(name instanceof N.Symbol)) this.fail('expected a macro name', name.lineno, name.colno);
    const args = this.parseSignature();
    this.advanceAfterBlockEnd(tag.value);
    return macroNode(this, tag, name.value, 'macro', args, 'endmacro');
  }

  /** A macro (or call-block) body: loop controls inside it cannot reach an enclosing loop. */
  parseMacroBody(end: string): any {
    const depth = this.loopDepth;
    this.loopDepth = 0;
    const body = this.parseUntilBlocks(end);
    this.loopDepth = depth;
    this.advanceAfterBlockEnd();
    return body;
  }

  parseCall(): any {
    const tag = this.nextToken();
    const callerArgs = this.parseSignature(true) || new N.NodeList();
    const call = this.parsePrimary();
    if (!(call instanceof N.FunCall)) this.fail('{% call %} expects a macro call', call.lineno, call.colno);
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseMacroBody('endcall');
    const callerName = new N.Symbol(tag.lineno, tag.colno, 'caller');
    const caller = new N.Caller(tag.lineno, tag.colno, callerName, callerArgs, body);
    const args = call.args.children;
    if (!(args[args.length - 1] instanceof N.KeywordArgs))
      args.push(new N.KeywordArgs(tag.lineno, tag.colno));
    args[args.length - 1].addChild(new N.Pair(tag.lineno, tag.colno, callerName, caller));
    return new N.Output(tag.lineno, tag.colno, [call]);
  }
}

/** Parses a whole template into nunjucks' AST (with MartQL's extra node types). */
export function parseTemplate(tokens: unknown): any {
  return new JinjaParser(tokens).parseAsRoot();
}
