/**
 * The nunjucks 3.2.4 internals MartQL builds on (lexer, parser, nodes, compiler, runtime).
 *
 * nunjucks does not publish types for these modules, so they are typed `any` here, in one place.
 * MartQL never mutates them: it subclasses the parser, compiler and tokenizer, and hands compiled
 * templates its own runtime object (see runtime.ts), so other users of nunjucks in the same process
 * are unaffected. package.json pins nunjucks to exactly 3.2.4 because the subclasses override
 * internal methods whose shape can change between releases.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const lexer: any = require('nunjucks/src/lexer');
const parser: any = require('nunjucks/src/parser');
const nodes: any = require('nunjucks/src/nodes');
const compiler: any = require('nunjucks/src/compiler');
const runtime: any = require('nunjucks/src/runtime');
const lib: any = require('nunjucks/src/lib');

export const NUNJUCKS_VERSION = '3.2.4';

export const Lexer = lexer;
/** The tokenizer class is not exported by nunjucks; reach it through an instance. */
export const Tokenizer: any = lexer.lex('').constructor;
export const Parser: any = parser.Parser;
export const Nodes = nodes;
export const Compiler: any = compiler.Compiler;
/** nunjucks' compile-time Frame (the compiler tracks JS variable names with it). */
export const CompileFrame: any = runtime.Frame;
export const SafeString: any = runtime.SafeString;
export const TemplateError: any = lib.TemplateError;
