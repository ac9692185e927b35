/**
 * AST node types MartQL adds to nunjucks' (compiled by compiler-statements.ts and
 * compiler-patches.ts). nunjucks dispatches compilation on `'compile' + node.typename`.
 */
import { Nodes } from './nunjucks-internals';

/** `{% do expr %}`: evaluate, discard the result. */
export const Do: any = Nodes.Node.extend('Do', { fields: ['expr'] });
/** `{% break %}` / `{% continue %}` (jinja2.ext.loopcontrols, enabled by dbt). */
export const LoopControl: any = Nodes.Node.extend('LoopControl', { fields: ['kind'] });
/** `{% with a = 1, b = 2 %}...{% endwith %}`: a nested scope. */
export const With: any = Nodes.Node.extend('With', { fields: ['targets', 'values', 'body'] });
/** `x[a:b:c]`. */
export const Slice: any = Nodes.Node.extend('Slice', { fields: ['target', 'start', 'stop', 'step'] });
/** `*args` / `**kwargs` at a call site. */
export const StarArg: any = Nodes.Node.extend('StarArg', { fields: ['target'] });
export const DoubleStarArg: any = Nodes.Node.extend('DoubleStarArg', { fields: ['target'] });
/** A Jinja test application `x is name(args)` (replaces nunjucks' Is, whose args parsing is limited). */
export const Test: any = Nodes.Node.extend('Test', { fields: ['target', 'name', 'args'] });

export type MacroKind = 'macro' | 'test' | 'materialization' | 'docs' | 'snapshot';
