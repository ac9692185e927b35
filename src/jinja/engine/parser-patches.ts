/**
 * Expression-level parser patches over nunjucks 3.2.4's Parser (methods overridden by subclassing,
 * nunjucks' module is left untouched): Python literals (True/False/None, tuples, trailing commas,
 * adjacent string literals, integral floats), computed dict keys, slices, `*args`/`**kwargs` at call
 * sites, Jinja's precedence for `~`, `+`, `*` and `is`, and tests with bare arguments
 * (`x is divisibleby 3`, `x is in [...]`).
 */
import { Lexer as L, Nodes as N, Parser } from './nunjucks-internals';
import { DoubleStarArg, Slice, StarArg, Test } from './nodes';

const PY_LITERALS: Record<string, unknown> = {
  True: true,
  False: false,
  None: null,
  true: true,
  false: false,
  none: null,
};
const CLOSERS = [L.TOKEN_RIGHT_PAREN, L.TOKEN_RIGHT_BRACKET, L.TOKEN_RIGHT_CURLY];

/** Tokens that start an operand parsePrimary reads whole (no prefix operator). */
const OPERAND_STARTS = new Set([
  L.TOKEN_STRING,
  L.TOKEN_INT,
  L.TOKEN_FLOAT,
  L.TOKEN_BOOLEAN,
  L.TOKEN_NONE,
  L.TOKEN_SYMBOL,
  L.TOKEN_LEFT_PAREN,
  L.TOKEN_LEFT_BRACKET,
  L.TOKEN_LEFT_CURLY,
]);
/** Tokens no operator level (or, and, in, is, compare, ~, + - * / // % **, filters) consumes. */
const OPERAND_ENDS = new Set([
  L.TOKEN_COMMA,
  L.TOKEN_RIGHT_PAREN,
  L.TOKEN_RIGHT_BRACKET,
  L.TOKEN_RIGHT_CURLY,
  L.TOKEN_COLON,
  L.TOKEN_VARIABLE_END,
  L.TOKEN_BLOCK_END,
]);

export class ExprParser extends (Parser as new (tokens: unknown) => any) {
  /** An operand parseOr's fast path already read, for parseUnary to return (see parseOr). */
  preparsed: any = null;

  /**
   * Fast path through the 13 precedence levels below: most expressions are one operand (`ref('x')`,
   * `'id'`, `cols`) followed by `)`, `,`, `}}` or `%}`, where every level would return the operand
   * unchanged. Read it once; when an operator follows instead, hand the operand to the ordinary
   * descent, whose prefix levels (parseNot, parseUnary) take it instead of reading a token.
   */
  parseOr(): any {
    const tok = this.peekToken();
    if (!tok || !OPERAND_STARTS.has(tok.type) || (tok.type === L.TOKEN_SYMBOL && tok.value === 'not')) {
      return super.parseOr();
    }
    const node = this.parsePrimary();
    const next = this.peekToken();
    if (next && OPERAND_ENDS.has(next.type)) return node;
    this.preparsed = node;
    return super.parseOr();
  }

  parseNot(): any {
    return this.preparsed ? this.parseIn() : super.parseNot();
  }

  parseUnary(noFilters?: boolean): any {
    if (!this.preparsed) return super.parseUnary(noFilters);
    const node = this.preparsed;
    this.preparsed = null;
    return noFilters ? node : this.parseFilter(node);
  }

  parsePrimary(noPostfix?: boolean): any {
    const tok = this.nextToken();
    if (!tok) this.fail('expected expression, got end of file');
    let node: any;
    if (tok.type === L.TOKEN_STRING) {
      let value = tok.value;
      // "a" "b" is one literal in Python and Jinja.
      while (this.peekToken()?.type === L.TOKEN_STRING) value += this.nextToken().value;
      node = new N.Literal(tok.lineno, tok.colno, value);
    } else if (tok.type === L.TOKEN_INT) {
      node = new N.Literal(tok.lineno, tok.colno, parseInt(tok.value, 10));
    } else if (tok.type === L.TOKEN_FLOAT) {
      node = new N.Literal(tok.lineno, tok.colno, parseFloat(tok.value));
      node.isFloat = true;
    } else if (tok.type === L.TOKEN_BOOLEAN || tok.type === L.TOKEN_NONE) {
      node = new N.Literal(tok.lineno, tok.colno, PY_LITERALS[tok.value]);
    } else if (tok.type === L.TOKEN_SYMBOL && tok.value in PY_LITERALS) {
      node = new N.Literal(tok.lineno, tok.colno, PY_LITERALS[tok.value]);
    } else if (tok.type === L.TOKEN_SYMBOL && /^\d+(\.\d*)?[eE]\d+$/.test(tok.value)) {
      node = new N.Literal(tok.lineno, tok.colno, Number(tok.value));
      node.isFloat = true;
    } else if (tok.type === L.TOKEN_SYMBOL) {
      node = new N.Symbol(tok.lineno, tok.colno, tok.value);
    } else {
      this.pushToken(tok);
      node = this.parseAggregate();
      if (!node) this.fail(`unexpected token: ${tok.value}`, tok.lineno, tok.colno);
    }
    return noPostfix ? node : this.parsePostfix(node);
  }

  /** `(...)` group or tuple, `[...]` list, `{...}` dict; trailing commas allowed, keys are expressions. */
  parseAggregate(): any {
    const tok = this.nextToken();
    let node: any;
    let close: string;
    if (tok.type === L.TOKEN_LEFT_PAREN)
      [node, close] = [new N.Group(tok.lineno, tok.colno), L.TOKEN_RIGHT_PAREN];
    else if (tok.type === L.TOKEN_LEFT_BRACKET)
      [node, close] = [new N.Array(tok.lineno, tok.colno), L.TOKEN_RIGHT_BRACKET];
    else if (tok.type === L.TOKEN_LEFT_CURLY)
      [node, close] = [new N.Dict(tok.lineno, tok.colno), L.TOKEN_RIGHT_CURLY];
    else {
      this.pushToken(tok);
      return null;
    }
    let sawComma = false;
    for (;;) {
      const next = this.peekToken();
      if (!next) this.fail('unexpected end of template in a literal', tok.lineno, tok.colno);
      if (next.type === close) {
        this.nextToken();
        break;
      }
      if (CLOSERS.includes(next.type)) this.fail(`unexpected '${next.value}'`, next.lineno, next.colno);
      if (node.children.length > 0 && !this.skip(L.TOKEN_COMMA)) {
        this.fail('expected comma after expression', next.lineno, next.colno);
      }
      if (node.children.length > 0) sawComma = true;
      if (this.peekToken()?.type === close) {
        sawComma = true;
        continue;
      }
      if (node instanceof N.Dict) {
        const key = this.parseExpression();
        if (!this.skip(L.TOKEN_COLON)) this.fail('expected colon after dict key', key.lineno, key.colno);
        node.addChild(new N.Pair(key.lineno, key.colno, key, this.parseExpression()));
      } else node.addChild(this.parseExpression());
    }
    if (node instanceof N.Group && (sawComma || node.children.length !== 1)) {
      const t = new N.Array(node.lineno, node.colno, node.children);
      t.isTuple = true;
      return t;
    }
    return node;
  }

  parsePostfix(node: any): any {
    for (;;) {
      const tok = this.peekToken();
      if (!tok) return node;
      if (tok.type === L.TOKEN_LEFT_PAREN) {
        node = new N.FunCall(tok.lineno, tok.colno, node, this.parseSignature());
      } else if (tok.type === L.TOKEN_LEFT_BRACKET) {
        node = this.parseSubscript(node);
      } else if (tok.type === L.TOKEN_OPERATOR && tok.value === '.') {
        this.nextToken();
        const val = this.nextToken();
        let key: unknown;
        if (val?.type === L.TOKEN_SYMBOL) key = val.value;
        else if (val?.type === L.TOKEN_INT) key = parseInt(val.value, 10);
        else this.fail(`expected name as lookup value, got ${val?.value}`, val?.lineno, val?.colno);
        node = new N.LookupVal(tok.lineno, tok.colno, node, new N.Literal(val.lineno, val.colno, key));
        node.isDot = true;
      } else return node;
    }
  }

  /** `x[i]` or a slice `x[a:b:c]`. */
  parseSubscript(target: any): any {
    const open = this.nextToken();
    const parts: any[] = [null];
    let colons = 0;
    for (;;) {
      const tok = this.peekToken();
      if (!tok) this.fail('unexpected end of template in a subscript', open.lineno, open.colno);
      if (tok.type === L.TOKEN_RIGHT_BRACKET) {
        this.nextToken();
        break;
      }
      if (tok.type === L.TOKEN_COLON) {
        this.nextToken();
        if (++colons > 2) this.fail('invalid slice', tok.lineno, tok.colno);
        parts.push(null);
        continue;
      }
      if (parts[parts.length - 1] !== null) this.fail('invalid subscript', tok.lineno, tok.colno);
      parts[parts.length - 1] = this.parseExpression();
    }
    if (colons === 0) {
      if (parts[0] === null) this.fail('empty subscript', open.lineno, open.colno);
      return new N.LookupVal(open.lineno, open.colno, target, parts[0]);
    }
    return new Slice(open.lineno, open.colno, target, parts[0], parts[1] ?? null, parts[2] ?? null);
  }

  /** Call arguments: positional, `*xs`, `k=v`, `**kw`, trailing comma. */
  parseSignature(tolerant?: boolean, noParens?: boolean): any {
    let tok = this.peekToken();
    if (!noParens && tok.type !== L.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === L.TOKEN_LEFT_PAREN) tok = this.nextToken();
    const args = new N.NodeList(tok.lineno, tok.colno);
    const kwargs = new N.KeywordArgs(tok.lineno, tok.colno);
    let first = true;
    for (;;) {
      tok = this.peekToken();
      if (!tok) this.fail('unexpected end of template in arguments');
      if (!noParens && tok.type === L.TOKEN_RIGHT_PAREN) {
        this.nextToken();
        break;
      }
      if (noParens && tok.type === L.TOKEN_BLOCK_END) break;
      if (!first) {
        if (!this.skip(L.TOKEN_COMMA)) this.fail('expected comma after expression', tok.lineno, tok.colno);
        const after = this.peekToken();
        if (!noParens && after?.type === L.TOKEN_RIGHT_PAREN) continue;
      }
      first = false;
      const star = this.peekToken();
      if (star.type === L.TOKEN_OPERATOR && (star.value === '*' || star.value === '**')) {
        this.nextToken();
        const Kind = star.value === '*' ? StarArg : DoubleStarArg;
        const arg = new Kind(star.lineno, star.colno, this.parseExpression());
        (star.value === '*' ? args : kwargs).addChild(arg);
        continue;
      }
      const arg = this.parseExpression();
      if (this.skipValue(L.TOKEN_OPERATOR, '=')) {
        kwargs.addChild(new N.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      } else args.addChild(arg);
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  }

  // Jinja's precedence: compare > `+ -` > `~` > `* / // %` > `**` > unary > filters/tests.
  parseConcat(): any {
    let node = this.parseTilde();
    for (;;) {
      if (this.skipValue(L.TOKEN_OPERATOR, '+'))
        node = new N.Add(node.lineno, node.colno, node, this.parseTilde());
      else if (this.skipValue(L.TOKEN_OPERATOR, '-'))
        node = new N.Sub(node.lineno, node.colno, node, this.parseTilde());
      else return node;
    }
  }

  parseTilde(): any {
    let node = this.parseMath2();
    while (this.skipValue(L.TOKEN_TILDE, '~'))
      node = new N.Concat(node.lineno, node.colno, node, this.parseMath2());
    return node;
  }

  parseMath2(): any {
    const ops: Record<string, any> = { '*': N.Mul, '/': N.Div, '//': N.FloorDiv, '%': N.Mod };
    let node = this.parsePow();
    for (;;) {
      const tok = this.peekToken();
      const Op = tok?.type === L.TOKEN_OPERATOR ? ops[tok.value] : undefined;
      if (!Op) return node;
      this.nextToken();
      node = new Op(node.lineno, node.colno, node, this.parsePow());
    }
  }

  /** Tests bind like filters in Jinja, so nunjucks' separate `is` level is skipped. */
  parseIs(): any {
    return this.parseCompare();
  }

  parseFilter(node: any): any {
    for (;;) {
      if (this.skip(L.TOKEN_PIPE)) {
        const name = this.parseFilterName();
        node = new N.Filter(
          name.lineno,
          name.colno,
          name,
          new N.NodeList(name.lineno, name.colno, [node, ...this.parseFilterArgs(node)]),
        );
      } else if (this.skipSymbol('is')) {
        node = this.parseTest(node);
      } else return node;
    }
  }

  parseTest(target: any): any {
    const negated = this.skipSymbol('not');
    const tok = this.nextToken();
    let name = '';
    if (tok.type === L.TOKEN_SYMBOL) name = tok.value;
    else if (tok.type === L.TOKEN_NONE) name = 'none';
    else if (tok.type === L.TOKEN_BOOLEAN) name = tok.value;
    else if (tok.type === L.TOKEN_OPERATOR && ['==', '!=', '<', '>', '<=', '>='].includes(tok.value))
      name = tok.value;
    else this.fail(`expected a test name after 'is', got ${tok.value}`, tok.lineno, tok.colno);
    if (name === 'True' || name === 'False' || name === 'None') name = name.toLowerCase();
    let args: any[] = [];
    const next = this.peekToken();
    if (next?.type === L.TOKEN_LEFT_PAREN) {
      args = this.parseSignature().children;
    } else if (next && this.startsBareTestArg(next)) {
      args = [this.parsePostfix(this.parsePrimary(true))];
    }
    const node = new Test(tok.lineno, tok.colno, target, name, args);
    return negated ? new N.Not(tok.lineno, tok.colno, node) : node;
  }

  /** Jinja accepts one bare argument after a test name: `x is divisibleby 3`, `x is sameas none`. */
  startsBareTestArg(tok: any): boolean {
    if ([L.TOKEN_STRING, L.TOKEN_INT, L.TOKEN_FLOAT, L.TOKEN_NONE, L.TOKEN_BOOLEAN].includes(tok.type))
      return true;
    if (tok.type === L.TOKEN_LEFT_BRACKET || tok.type === L.TOKEN_LEFT_CURLY) return true;
    return (
      tok.type === L.TOKEN_SYMBOL &&
      !['else', 'or', 'and', 'if', 'is', 'in', 'not', 'recursive'].includes(tok.value)
    );
  }

  /** `a if b` without else yields Jinja's Undefined. */
  parseInlineIf(): any {
    const node = this.parseOr();
    if (!this.skipSymbol('if')) return node;
    const cond = this.parseOr();
    const out = new N.InlineIf(node.lineno, node.colno);
    out.body = node;
    out.cond = cond;
    out.else_ = this.skipSymbol('else') ? this.parseExpression() : null;
    return out;
  }

  /** An expression, or a tuple without parentheses (`{% set a, b = 1, 2 %}`). */
  parseTupleExpression(): any {
    const first = this.parseExpression();
    if (this.peekToken()?.type !== L.TOKEN_COMMA) return first;
    const t = new N.Array(first.lineno, first.colno, [first]);
    t.isTuple = true;
    while (this.skip(L.TOKEN_COMMA)) {
      const tok = this.peekToken();
      if (!tok || tok.type === L.TOKEN_BLOCK_END || tok.type === L.TOKEN_VARIABLE_END) break;
      t.addChild(this.parseExpression());
    }
    return t;
  }
}
