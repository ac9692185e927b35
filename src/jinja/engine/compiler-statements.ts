/**
 * Statement-level compiler patches over nunjucks 3.2.4 (subclass of ExprCompiler). Compiled
 * templates are synchronous functions `root(env, context, frame, runtime)` returning the output.
 *
 * Scoping follows Jinja, not nunjucks: every macro body declares its own `frame` (lexical scope, so
 * a call block sees its definer's locals), each for-loop iteration gets a fresh scope (a `set`
 * inside a loop does not leak out), and only top-level `set`s reach the context object. Macro
 * bodies catch `return()` and locate errors at their own file and line.
 */
import { CompileFrame, Nodes as N } from './nunjucks-internals';
import { ExprCompiler, CompilerRegistry } from './compiler-patches';
import type { MacroMeta } from './frames';
import { Do } from './nodes';

const MAGIC = ['varargs', 'kwargs', 'caller'] as const;

/** Which of varargs/kwargs/caller a macro body mentions (Jinja accepts extra args only then). */
function magicNames(body: any): Set<string> {
  const found = new Set<string>();
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (!(node instanceof N.Node)) return;
    if (node instanceof N.Symbol && (MAGIC as readonly string[]).includes(node.value)) found.add(node.value);
    if (node instanceof N.NodeList) node.children.forEach(visit);
    for (const f of node.fields) if (f !== 'children') visit(node[f]);
    for (const extra of ['filter', 'args'])
      if (extra in node && !node.fields.includes(extra)) visit(node[extra]);
  };
  visit(body);
  return found;
}

/** A macro's declared parameters: names in order, defaults for the trailing keyword ones. */
export function macroParams(args: any): { names: string[]; defaults: (any | undefined)[] } {
  const names: string[] = [];
  const defaults: any[] = [];
  for (const arg of args.children) {
    if (arg instanceof N.KeywordArgs) {
      for (const pair of arg.children) {
        names.push(pair.key.value);
        defaults.push(pair.value);
      }
    } else if (arg instanceof N.Symbol) {
      names.push(arg.value);
      defaults.push(undefined);
    }
  }
  return { names, defaults };
}

/** `return(x)`: one positional argument, called by the bare name. */
function isReturnCall(node: any): boolean {
  return (
    node instanceof N.FunCall &&
    node.name instanceof N.Symbol &&
    node.name.value === 'return' &&
    node.args.children.length === 1 &&
    !(node.args.children[0] instanceof N.KeywordArgs)
  );
}

/**
 * Marks the `{{ return(x) }}` / `{% do return(x) %}` statements of a macro body that run in the
 * body's own JS function (not inside a loop, call block or set block, which the walk does not
 * enter), so they can return from it directly instead of throwing (see compileDirectReturn).
 */
function markDirectReturns(node: any): void {
  if (node instanceof N.Output) {
    if (node.children.some(isReturnCall)) node.directReturn = true;
  } else if (node instanceof Do) {
    if (isReturnCall(node.expr)) node.directReturn = true;
  } else if (node instanceof N.If) {
    markDirectReturns(node.body);
    if (node.else_) markDirectReturns(node.else_);
  } else if (node instanceof N.NodeList) {
    for (const child of node.children) markDirectReturns(child);
  }
}

export class JinjaCompiler extends ExprCompiler {
  constructor(
    readonly path: string,
    registry: CompilerRegistry,
  ) {
    super(path, false);
    this.registry = registry;
  }

  compileRoot(node: any): void {
    const frame = new CompileFrame();
    frame.isRoot = true;
    this.buffer = 'output';
    this._emitLine('function root(env, context, frame, runtime) {');
    this._emitLine('var lineno = 0, colno = 0, output = "";');
    this._emitLine('try {');
    this._compileChildren(node, frame);
    this._emitLine('return output;');
    this._emitLine('} catch (e) { throw runtime.locate(e, lineno, colno, P, true); }');
    this._emitLine('}');
    this._emitLine('return { root: root };');
  }

  compileOutput(node: any, frame: any): void {
    for (const child of node.children) {
      if (child instanceof N.TemplateData) {
        if (child.value) this._emitLine(`${this.buffer} += ${this.konst(child.value)};`);
        continue;
      }
      this.emitPosition(child);
      if (node.directReturn && isReturnCall(child)) this.compileDirectReturn(child, frame);
      this._emit(`${this.buffer} += runtime.str(`);
      this.compile(child, frame);
      this._emitLine(');');
    }
  }

  /**
   * dbt's `return(x)` throws to unwind the macro, and a throw per call was a noticeable part of
   * compiling thousands of tests (every built-in test macro returns its dispatch this way). When
   * `return` is still dbt's own function, return `x` from the macro body directly: the same
   * value, without the throw. Anything else named `return` is called as usual.
   */
  compileDirectReturn(call: any, frame: any): void {
    const fn = this._tmpid();
    this._emit(`var ${fn} = `);
    this.compile(call.name, frame);
    this._emitLine(';');
    this._emit(`if (${fn} === runtime.jinjaReturn) return runtime.returnValue(`);
    this.compile(call.args.children[0], frame);
    this._emitLine(');');
  }

  compileDo(node: any, frame: any): void {
    this.emitPosition(node);
    if (node.directReturn) this.compileDirectReturn(node.expr, frame);
    this.compile(node.expr, frame);
    this._emitLine(';');
  }

  compileLoopControl(node: any): void {
    this._emitLine(`${node.kind};`);
  }

  compileIf(node: any, frame: any): void {
    this.emitPosition(node);
    this._emit('if (runtime.isTruthy(');
    this.compile(node.cond, frame);
    this._emitLine(')) {');
    this.compile(node.body, frame);
    if (node.else_) {
      this._emitLine('} else {');
      this.compile(node.else_, frame);
    }
    this._emitLine('}');
  }

  /** Assigns a name in the current scope (see the module comment for the scoping rules). */
  assign(frame: any, name: string, js: string): void {
    let id: string | null = null;
    for (let f = frame; f; f = f.parent) {
      const v = f.variables[name];
      if (v !== undefined) {
        id = v || null;
        break;
      }
      if (f.isolateWrites || f.isRoot) break;
    }
    if (id) this._emitLine(`${id} = ${js};`);
    // An outer compile-time binding is shadowed from here on: read this name at run time.
    else if (frame.lookup(name)) frame.set(name, '');
    const value = id ?? js;
    this._emitLine(`frame.set(${JSON.stringify(name)}, ${value});`);
    if (frame.isRoot) this._emitLine(`context.setVariable(${JSON.stringify(name)}, ${value});`);
  }

  assignTarget(target: any, js: string, frame: any): void {
    if (target instanceof N.Symbol) return this.assign(frame, target.value, js);
    this._emit('runtime.setAttr(');
    this.compile(target.target, frame);
    this._emitLine(`, ${JSON.stringify(target.val.value)}, ${js});`);
  }

  compileSet(node: any, frame: any): void {
    this.emitPosition(node);
    const v = this._tmpid();
    this._emit(`var ${v} = `);
    this.compile(node.value ?? node.body, frame);
    this._emitLine(';');
    if (node.targets.length === 1) return this.assignTarget(node.targets[0], v, frame);
    const u = this._tmpid();
    this._emitLine(`var ${u} = runtime.unpack(${v}, ${node.targets.length});`);
    node.targets.forEach((t: any, i: number) => this.assignTarget(t, `${u}[${i}]`, frame));
  }

  /** Binds one loop item to the loop's names (unpacking `for a, b in ...`). */
  bindLoopItem(names: any, item: string, frame: any, ids: string[]): void {
    if (names instanceof N.Symbol) {
      this._emitLine(`${ids[0]} = ${item}; frame.set(${JSON.stringify(names.value)}, ${ids[0]});`);
      return;
    }
    const u = this._tmpid();
    this._emitLine(`var ${u} = runtime.unpack(${item}, ${names.children.length});`);
    names.children.forEach((n: any, i: number) => {
      this._emitLine(`${ids[i]} = ${u}[${i}]; frame.set(${JSON.stringify(n.value)}, ${ids[i]});`);
    });
  }

  compileFor(node: any, frame: any): void {
    const [parent, arr, i, loop] = [this._tmpid(), this._tmpid(), this._tmpid(), this._tmpid()];
    const names = node.name instanceof N.Symbol ? [node.name] : node.name.children;
    const ids = names.map(() => this._tmpid());
    const loopFrame = frame.push(true);
    names.forEach((n: any, k: number) => loopFrame.set(n.value, ids[k]));
    this.emitPosition(node);
    this._emitLine(`var ${parent} = frame, ${ids.join(', ')};`);
    this._emit(`var ${arr} = runtime.toList(`);
    this.compile(node.arr, frame);
    this._emitLine(');');
    if (node.filter) {
      const kept = this._tmpid();
      this._emitLine(`var ${kept} = [];`);
      this._emitLine(`for (var ${i} = 0; ${i} < ${arr}.length; ${i}++) {`);
      this._emitLine(`frame = ${parent}.push();`);
      this.bindLoopItem(node.name, `${arr}[${i}]`, loopFrame, ids);
      this._emit(`if (runtime.isTruthy(`);
      this.compile(node.filter, loopFrame);
      this._emitLine(`)) ${kept}.push(${arr}[${i}]);`);
      this._emitLine('}');
      this._emitLine(`frame = ${parent}; ${arr} = ${kept};`);
    }
    loopFrame.set('loop', loop);
    this._emitLine(`var ${loop} = new runtime.LoopContext(${arr});`);
    this._emitLine(`for (var ${i} = 0; ${i} < ${arr}.length; ${i}++) {`);
    this._emitLine(`frame = ${parent}.push(); ${loop}.index0 = ${i}; frame.set("loop", ${loop});`);
    this.bindLoopItem(node.name, `${arr}[${i}]`, loopFrame, ids);
    this.compile(node.body, loopFrame);
    this._emitLine('}');
    this._emitLine(`frame = ${parent};`);
    if (node.else_) {
      this._emitLine(`if (!${arr}.length) {`);
      this.compile(node.else_, frame);
      this._emitLine('}');
    }
  }

  compileWith(node: any, frame: any): void {
    const saved = this._tmpid();
    const ids = node.targets.map(() => this._tmpid());
    this.emitPosition(node);
    node.values.forEach((value: any, k: number) => {
      this._emit(`var ${ids[k]} = `);
      this.compile(value, frame);
      this._emitLine(';');
    });
    const inner = frame.push(true);
    this._emitLine(`var ${saved} = frame; frame = frame.push();`);
    node.targets.forEach((t: any, k: number) => {
      inner.set(t.value, ids[k]);
      this._emitLine(`frame.set(${JSON.stringify(t.value)}, ${ids[k]});`);
    });
    this._emitLine('try {');
    this.compile(node.body, inner);
    this._emitLine(`} finally { frame = ${saved}; }`);
  }

  /** Emits `var <id> = runtime.makeMacro(meta, body)` and returns the id. */
  compileMacroFunction(node: any, frame: any, lexical: boolean): string {
    const id = `macro_${this._tmpid()}`;
    const { names, defaults } = macroParams(node.args);
    const magic = magicNames(node.body);
    const meta: Omit<MacroMeta, 'path'> = {
      name: node.name.value,
      args: names,
      varargs: magic.has('varargs'),
      kwargs: magic.has('kwargs'),
      caller: magic.has('caller'),
    };
    // The same object literal as before, with the path read from the factory's `P`.
    const metaJs = `${JSON.stringify(meta).slice(0, -1)},"path":P}`;
    const bodyFrame = lexical ? frame.push(true) : new CompileFrame(undefined, true);
    const parentFrame = this._tmpid();
    const [args, varargs, kwargs, caller] = ['t_args', 't_varargs', 't_kwargs', 't_caller'];
    if (lexical) this._emitLine(`var ${parentFrame} = frame;`);
    this._emitLine(
      `var ${id} = runtime.makeMacro(${metaJs}, function (${args}, ${varargs}, ${kwargs}, ${caller}) {`,
    );
    this._emitLine(`var ${this.position(node)};`);
    this._emitLine(`var frame = ${lexical ? `${parentFrame}.push()` : 'new runtime.Frame()'};`);
    const savedBuffer = this.buffer;
    const buf = this._tmpid();
    this.buffer = buf;
    this._emitLine(`var ${buf} = "";`);
    this._emitLine('try {');
    names.forEach((name, k) => {
      const local = `l_${k}_${name.replace(/\W/g, '_')}`;
      this._emit(`var ${local} = ${args}[${k}]; if (${local} === runtime.MISSING) ${local} = `);
      if (defaults[k]) this.compile(defaults[k], bodyFrame);
      else this._emit('undefined');
      this._emitLine(`; frame.set(${JSON.stringify(name)}, ${local});`);
      bodyFrame.set(name, local);
    });
    for (const [flag, js] of [
      ['varargs', varargs],
      ['kwargs', kwargs],
      ['caller', caller],
    ] as const) {
      if (magic.has(flag)) this._emitLine(`frame.set(${JSON.stringify(flag)}, ${js});`);
    }
    markDirectReturns(node.body);
    this.compile(node.body, bodyFrame);
    this._emitLine(`return ${buf};`);
    this._emitLine('} catch (e) {');
    this._emitLine('if (e instanceof runtime.MacroReturn) return e.value;');
    this._emitLine('throw runtime.locate(e, lineno, colno, P, false);');
    this._emitLine('}');
    this._emitLine('});');
    this.buffer = savedBuffer;
    return id;
  }

  compileMacro(node: any, frame: any): void {
    const lexical = !frame.isRoot;
    const id = this.compileMacroFunction(node, frame, lexical);
    const name = node.name.value;
    frame.set(name, id);
    if (frame.isRoot) this._emitLine(`context.setVariable(${JSON.stringify(name)}, ${id});`);
    else this._emitLine(`frame.set(${JSON.stringify(name)}, ${id});`);
  }

  compileCaller(node: any, frame: any): void {
    this._emit('(function () {');
    const id = this.compileMacroFunction(node, frame, true);
    this._emit(`return ${id}; })()`);
  }
}
