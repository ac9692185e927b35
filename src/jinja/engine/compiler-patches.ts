/**
 * Expression-level compiler patches over nunjucks 3.2.4's Compiler (subclassed, never mutated).
 * Every operator is routed through the Python-semantics runtime (runtime.ts): truthiness,
 * deep `==`, chained comparisons, `+`/`*`/`%` on strings and lists, `~` with Python str(),
 * computed dict keys, slices, method calls, `*args`/`**kwargs` splats, and filters/tests checked
 * at compile time (Jinja reports an unknown filter as a template error, not at render).
 */
import { Compiler, Nodes as N } from './nunjucks-internals';
import { DoubleStarArg, StarArg } from './nodes';

const COMPARE_OPS = new Set(['==', '!=', '<', '>', '<=', '>=', '===', '!==']);
const BINARY: Record<string, string> = {
  Add: 'add',
  Sub: 'sub',
  Mul: 'mul',
  Div: 'div',
  FloorDiv: 'floorDiv',
  Mod: 'mod',
  Pow: 'pow',
  Concat: 'concat',
  In: 'pyIn',
};

const COMPILE_METHODS = new Map<string, string>();

export interface CompilerRegistry {
  filters: Record<string, unknown>;
  tests: Record<string, unknown>;
}

/** A short readable name of an expression, used in error messages (`'x.y' is undefined`). */
export function label(node: any): string {
  if (node instanceof N.Symbol) return node.value;
  if (node instanceof N.LookupVal) {
    const key = node.val instanceof N.Literal ? String(node.val.value) : '...';
    return `${label(node.target)}${node.isDot ? `.${key}` : `[${key}]`}`;
  }
  if (node instanceof N.FunCall) return `${label(node.name)}()`;
  if (node instanceof N.Literal) return JSON.stringify(node.value)?.slice(0, 30) ?? 'literal';
  return 'expression';
}

export class ExprCompiler extends (Compiler as new (name: string, throwOnUndefined?: boolean) => any) {
  registry!: CompilerRegistry;
  /**
   * Values hoisted out of the generated code: template text, string literals and source positions
   * are emitted as `K[i]` (and the template path as `P`), so templates that differ only in those
   * share one generated function (see engine.ts). Never deduplicated: a value's slot depends only
   * on where it occurs, so equal structure gives equal code.
   */
  consts: unknown[] = [];
  /** The filters and tests the template names (checked against the registry at compile time). */
  usedFilters = new Set<string>();
  usedTests = new Set<string>();

  /** nunjucks' dispatch on `'compile' + typename`, with the method names built once. */
  compile(node: any, frame?: any): void {
    let name = COMPILE_METHODS.get(node.typename);
    if (name === undefined) COMPILE_METHODS.set(node.typename, (name = `compile${node.typename}`));
    const fn = this[name];
    if (fn) fn.call(this, node, frame);
    else this.fail(`compile: Cannot compile node: ${node.typename}`, node.lineno, node.colno);
  }

  /** A hoisted constant: the JS expression that reads it. */
  konst(value: unknown): string {
    return `K[${this.consts.push(value) - 1}]`;
  }

  /** `lineno = K[i], colno = K[j]` for a node. */
  position(node: any): string {
    return `lineno = ${this.konst(node.lineno)}, colno = ${this.konst(node.colno)}`;
  }

  emitPosition(node: any): void {
    this._emit(`${this.position(node)}; `);
  }

  binary(fn: string, node: any, frame: any): void {
    this._emit(`runtime.${fn}(`);
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  }

  compileLiteral(node: any): void {
    const v = node.value;
    if (typeof v === 'string') this._emit(this.konst(v));
    else if (v === null) this._emit('null');
    else if (typeof v === 'number' && node.isFloat && Number.isInteger(v)) this._emit(`runtime.float(${v})`);
    else this._emit(String(v));
  }

  compileSymbol(node: any, frame: any): void {
    const id = frame.lookup(node.value);
    if (id) this._emit(id);
    else this._emit(`runtime.lookup(context, frame, ${JSON.stringify(node.value)})`);
  }

  compileGroup(node: any, frame: any): void {
    this._emit('(');
    this.compile(node.children[0], frame);
    this._emit(')');
  }

  compileArray(node: any, frame: any): void {
    if (node.isTuple) this._emit('runtime.tuple(');
    this._compileAggregate(node, frame, '[', ']');
    if (node.isTuple) this._emit(')');
  }

  /** Keys are evaluated (`{k: v}` uses k's value, as in Jinja); literal-string keys compile to a JS literal. */
  compileDict(node: any, frame: any): void {
    const simple = node.children.every(
      (p: any) => p.key instanceof N.Literal && typeof p.key.value === 'string',
    );
    if (simple) {
      this._emit('{');
      node.children.forEach((pair: any, i: number) => {
        if (i) this._emit(', ');
        this._emit(`${JSON.stringify(pair.key.value)}: `);
        this.compile(pair.value, frame);
      });
      this._emit('}');
      return;
    }
    this._emit('runtime.makeDict([');
    node.children.forEach((pair: any, i: number) => {
      if (i) this._emit(', ');
      this.compile(pair.key, frame);
      this._emit(', ');
      this.compile(pair.value, frame);
    });
    this._emit('])');
  }

  /** Call-site keyword arguments: names are not evaluated; `**x` merges a mapping. */
  compileKeywordArgs(node: any, frame: any): void {
    this._emit('runtime.makeKeywordArgs({');
    node.children.forEach((item: any, i: number) => {
      if (i) this._emit(', ');
      if (item instanceof DoubleStarArg) {
        this._emit('...runtime.spreadKwargs(');
        this.compile(item.target, frame);
        this._emit(')');
      } else {
        this._emit(`${JSON.stringify(item.key.value)}: `);
        this.compile(item.value, frame);
      }
    });
    this._emit('})');
  }

  compileInlineIf(node: any, frame: any): void {
    this._emit('(runtime.isTruthy(');
    this.compile(node.cond, frame);
    this._emit(') ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_) this.compile(node.else_, frame);
    else this._emit('undefined');
    this._emit(')');
  }

  compileOr(node: any, frame: any): void {
    this.shortCircuit('or', node, frame);
  }

  compileAnd(node: any, frame: any): void {
    this.shortCircuit('and', node, frame);
  }

  shortCircuit(fn: string, node: any, frame: any): void {
    this._emit(`runtime.${fn}(`);
    this.compile(node.left, frame);
    this._emit(', () => (');
    this.compile(node.right, frame);
    this._emit('))');
  }

  compileNot(node: any, frame: any): void {
    this._emit('!runtime.isTruthy(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileNeg(node: any, frame: any): void {
    this._emit('runtime.neg(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compilePos(node: any, frame: any): void {
    this._emit('runtime.pos(');
    this.compile(node.target, frame);
    this._emit(')');
  }

  compileCompare(node: any, frame: any): void {
    for (const op of node.ops) {
      if (!COMPARE_OPS.has(op.type)) this.fail(`unknown comparison '${op.type}'`, op.lineno, op.colno);
    }
    if (node.ops.length === 1) {
      this._emit(`runtime.pyCompare(${JSON.stringify(node.ops[0].type)}, `);
      this.compile(node.expr, frame);
      this._emit(', ');
      this.compile(node.ops[0].expr, frame);
      this._emit(')');
      return;
    }
    this._emit('runtime.compareChain(');
    this.compile(node.expr, frame);
    this._emit(`, ${JSON.stringify(node.ops.map((o: any) => o.type))}, [`);
    node.ops.forEach((op: any, i: number) => {
      if (i) this._emit(', ');
      this._emit('() => (');
      this.compile(op.expr, frame);
      this._emit(')');
    });
    this._emit('])');
  }

  compileLookupVal(node: any, frame: any): void {
    this._emit('runtime.memberLookup(');
    this.compile(node.target, frame);
    this._emit(', ');
    this.compile(node.val, frame);
    this._emit(`, ${node.isDot ? 'true' : 'false'}, ${JSON.stringify(label(node.target))})`);
  }

  compileSlice(node: any, frame: any): void {
    this._emit('runtime.slice(');
    this.compile(node.target, frame);
    for (const part of [node.start, node.stop, node.step]) {
      this._emit(', ');
      if (part) this.compile(part, frame);
      else this._emit('undefined');
    }
    this._emit(')');
  }

  /** Positional args (with `*xs` spread) then the keyword-args object, as a JS array literal. */
  compileCallArgs(args: any, frame: any): void {
    this._emit('[');
    args.children.forEach((arg: any, i: number) => {
      if (i) this._emit(', ');
      if (arg instanceof StarArg) {
        this._emit('...runtime.toList(');
        this.compile(arg.target, frame);
        this._emit(')');
      } else this.compile(arg, frame);
    });
    this._emit(']');
  }

  compileFunCall(node: any, frame: any): void {
    this._emit(`(${this.position(node)}, `);
    const callee = node.name;
    if (callee instanceof N.LookupVal) {
      this._emit('runtime.callMethod(');
      this.compile(callee.target, frame);
      this._emit(', ');
      this.compile(callee.val, frame);
      this._emit(`, ${JSON.stringify(label(callee))}, context, `);
    } else {
      this._emit('runtime.callWrap(');
      this.compile(callee, frame);
      this._emit(`, ${JSON.stringify(label(callee))}, context, `);
    }
    this.compileCallArgs(node.args, frame);
    this._emit('))');
  }

  compileFilter(node: any, frame: any): void {
    const name = node.name.value;
    if (!(name in this.registry.filters)) this.fail(`No filter named '${name}'`, node.lineno, node.colno);
    this.usedFilters.add(name);
    this._emit(`env.filters[${JSON.stringify(name)}](`);
    this._compileAggregate(node.args, frame);
    this._emit(')');
  }

  compileTest(node: any, frame: any): void {
    if (!(node.name in this.registry.tests))
      this.fail(`No test named '${node.name}'`, node.lineno, node.colno);
    this.usedTests.add(node.name);
    this._emit(`env.tests[${JSON.stringify(node.name)}](`);
    this.compile(node.target, frame);
    for (const arg of node.args) {
      this._emit(', ');
      this.compile(arg, frame);
    }
    this._emit(')');
  }

  compileAdd(node: any, frame: any): void {
    this.binary(BINARY.Add, node, frame);
  }
  compileSub(node: any, frame: any): void {
    this.binary(BINARY.Sub, node, frame);
  }
  compileMul(node: any, frame: any): void {
    this.binary(BINARY.Mul, node, frame);
  }
  compileDiv(node: any, frame: any): void {
    this.binary(BINARY.Div, node, frame);
  }
  compileFloorDiv(node: any, frame: any): void {
    this.binary(BINARY.FloorDiv, node, frame);
  }
  compileMod(node: any, frame: any): void {
    this.binary(BINARY.Mod, node, frame);
  }
  compilePow(node: any, frame: any): void {
    this.binary(BINARY.Pow, node, frame);
  }
  compileConcat(node: any, frame: any): void {
    this.binary(BINARY.Concat, node, frame);
  }
  compileIn(node: any, frame: any): void {
    this.binary(BINARY.In, node, frame);
  }

  /** nunjucks asserts a fixed list of expression node types; MartQL's added ones must pass too. */
  _compileExpression(node: any, frame: any): void {
    this.compile(node, frame);
  }
}
