/**
 * What benchmarks measure: the compiled package in dist/ when it is built (`npm run build`), else
 * the TypeScript sources. tsx's transpiled sources carry per-function overhead (it keeps function
 * names), which would charge MartQL for the development setup rather than for its own code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Api = typeof import('../src/index');

const dist = path.resolve(__dirname, '..', 'dist', 'index.js');

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const martql: Api = fs.existsSync(dist) ? require(dist) : require('../src/index');
export const measuring = fs.existsSync(dist) ? 'dist/ (compiled)' : 'src/ through tsx';

/**
 * What `martql compile` does to V8 before compiling (compile-v8.ts), for benchmarks that measure a
 * compile "as the CLI runs it" in a process of their own.
 */
export const tuneLikeCompileCommand: () => void = fs.existsSync(dist)
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.resolve(__dirname, '..', 'dist', 'cli', 'commands', 'compile-v8.js')).tuneV8ForOneShotCompile
  : // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../src/cli/commands/compile-v8').tuneV8ForOneShotCompile;
