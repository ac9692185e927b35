#!/usr/bin/env node
// In a checkout (src/ and tsx present) run the TypeScript sources, so the CLI never runs a stale
// build; in an installed package (no src/) run the compiled dist/.
// graphql-js checks types across realms on every field unless NODE_ENV is production, which
// costs a tenth of a large answer's time; a CLI and server run in production unless told otherwise.
process.env.NODE_ENV ??= 'production';
const path = require('node:path');
const fs = require('node:fs');
const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli', 'main.ts');
let useSource = fs.existsSync(source);
if (useSource) {
  try {
    require.resolve('tsx/cjs');
  } catch {
    useSource = false;
  }
}
if (useSource) {
  require('tsx/cjs');
  require(source);
} else {
  require(path.join(root, 'dist', 'cli', 'main.js'));
}
