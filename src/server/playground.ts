/**
 * The GraphQL playground at `/`: GraphiQL 3 with its example tabs written from the project's
 * exposed models. Everything the page loads comes from this server: GraphiQL's browser bundle and
 * React 18's UMD builds out of node_modules (GraphiQL 3 is the last line that ships a bundle usable
 * without a bundler, and React 19 dropped UMD builds), the boot script from `assets/playground`.
 * No CDN, so the playground works on a machine with no internet access.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import type { ExposedModel } from '../graphql/schema';
import { exampleTabs } from './example-queries';
import type { StaticMount } from './static-files';

export const PLAYGROUND_PREFIX = '/playground/';
const VENDOR = `${PLAYGROUND_PREFIX}vendor/`;
/** Vendor bundles change only with a package upgrade, which changes the `?v=` below. */
const VENDOR_MAX_AGE_S = 86_400;

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function packageVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** The folders the page's scripts and styles come from. */
export function playgroundMounts(): StaticMount[] {
  return [
    {
      prefix: `${VENDOR}graphiql/`,
      dir: packageDir('graphiql'),
      only: ['graphiql.min.js', 'graphiql.min.css'],
      maxAgeS: VENDOR_MAX_AGE_S,
    },
    {
      prefix: `${VENDOR}react/`,
      dir: path.join(packageDir('react'), 'umd'),
      only: ['react.production.min.js'],
      maxAgeS: VENDOR_MAX_AGE_S,
    },
    {
      prefix: `${VENDOR}react-dom/`,
      dir: path.join(packageDir('react-dom'), 'umd'),
      only: ['react-dom.production.min.js'],
      maxAgeS: VENDOR_MAX_AGE_S,
    },
    // Ours, edited with the server: revalidated on every load (a 304 when unchanged).
    {
      prefix: PLAYGROUND_PREFIX,
      dir: path.resolve(__dirname, '..', '..', 'assets', 'playground'),
      maxAgeS: 0,
    },
  ];
}

export interface PlaygroundConfig {
  endpoint: string;
  tabs: { query: string }[];
  /** Whether reads need a token: the page then opens the Headers pane with a template. */
  authRequired: boolean;
}

/** JSON inside a <script> block: `<` escaped so no value can close the block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function playgroundHtml(config: PlaygroundConfig): string {
  const v = (name: string) => `?v=${encodeURIComponent(packageVersion(name))}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>MartQL playground</title>
    <link rel="stylesheet" href="${VENDOR}graphiql/graphiql.min.css${v('graphiql')}" />
    <link rel="stylesheet" href="${PLAYGROUND_PREFIX}playground.css" />
  </head>
  <body>
    <div id="graphiql">Loading the MartQL playground…</div>
    <script id="martql-playground-config" type="application/json">${scriptJson(config)}</script>
    <script src="${VENDOR}react/react.production.min.js${v('react')}"></script>
    <script src="${VENDOR}react-dom/react-dom.production.min.js${v('react-dom')}"></script>
    <script src="${VENDOR}graphiql/graphiql.min.js${v('graphiql')}"></script>
    <script src="${PLAYGROUND_PREFIX}boot.js"></script>
  </body>
</html>
`;
}

export interface Playground {
  mounts: StaticMount[];
  /** Answers `/` with the page. */
  sendPage(req: IncomingMessage, res: ServerResponse): void;
}

export function createPlayground(
  models: readonly ExposedModel[],
  options: { authRequired: boolean },
): Playground {
  const html = playgroundHtml({
    endpoint: '/graphql',
    tabs: exampleTabs(models),
    authRequired: options.authRequired,
  });
  const length = Buffer.byteLength(html);
  return {
    mounts: playgroundMounts(),
    sendPage(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : html);
    },
  };
}
