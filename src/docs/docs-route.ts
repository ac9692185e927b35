/**
 * `/docs` on `martql serve`. Two sources, decided per request:
 *
 * - when `martql docs generate` has written the site (`<target-path>/docs/docs.json` exists), that
 *   folder is served as it is, so the docs show what was generated, as `dbt docs serve` does;
 * - otherwise the page and its script come from the package's `assets/docs/`, and `docs.json` is
 *   generated on the first request from the project and warehouse as they are (compiling every
 *   node and reading the catalog, a few seconds on a large project), then kept for the life of the
 *   server. Running `martql docs generate` later switches to the written site without a restart.
 *
 * `docs.json` holds the project's code and schema, so the caller asks for read access before
 * serving it (routes.ts); the page, script and styles are open, like the playground's.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { MartqlError } from '../errors';
import { parseDbtProjectFile } from '../project/dbt-project-file';
import { createStaticFiles, type StaticFiles } from '../server/static-files';
import { buildDocs, DOCS_ASSETS_DIR, DOCS_DATA_FILE, type DocsOptions } from './generate-docs';

export const DOCS_PATH = '/docs';
const PREFIX = `${DOCS_PATH}/`;
export const DOCS_DATA_PATH = `${PREFIX}${DOCS_DATA_FILE}`;

export interface DocsRouteOptions extends Omit<DocsOptions, 'log'> {
  log: (event: Record<string, unknown>) => void;
}

export interface DocsRoute {
  /** Serves `/docs` and everything under it and returns true; false for any other path. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

/** The project's target folder: `target-path` of dbt_project.yml (`target` when it cannot be read). */
function targetDirOf(projectDir: string): string {
  try {
    const file = path.join(projectDir, 'dbt_project.yml');
    return path.resolve(
      projectDir,
      parseDbtProjectFile(readFileSync(file, 'utf8'), 'dbt_project.yml').config.targetPath,
    );
  } catch {
    // The server parsed this project already; a file that no longer reads changes nothing here.
    return path.resolve(projectDir, 'target');
  }
}

function describeError(err: unknown): string {
  if (err instanceof MartqlError) return err.where ? `${err.where}: ${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}

function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  text: string,
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

export function createDocsRoute(options: DocsRouteOptions): DocsRoute {
  const siteDir = path.join(targetDirOf(path.resolve(options.projectDir)), 'docs');
  const packaged = createStaticFiles([{ prefix: PREFIX, dir: DOCS_ASSETS_DIR, maxAgeS: 0 }]);
  // Created once the folder exists: a mount resolves its folder when it is made.
  let written: StaticFiles | undefined;
  let generated: Promise<string> | undefined;

  const generate = (): Promise<string> => {
    if (!generated) {
      const started = performance.now();
      generated = buildDocs({ ...options, log: undefined }).then(
        ({ data }) => {
          options.log({
            event: 'docs_generated',
            nodes: data.nodes.length,
            ms: Math.round(performance.now() - started),
          });
          return JSON.stringify(data);
        },
        (err: unknown) => {
          // The next request tries again (the project may have been fixed meanwhile).
          generated = undefined;
          throw err;
        },
      );
    }
    return generated;
  };

  async function sendGenerated(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      sendText(req, res, 200, 'application/json; charset=utf-8', await generate());
    } catch (err) {
      const message = `the docs could not be generated: ${describeError(err)}`;
      options.log({ event: 'docs_failed', error: message });
      sendText(req, res, 500, 'application/json; charset=utf-8', JSON.stringify({ error: message }));
    }
  }

  return {
    async serve(req, res, pathname) {
      if (pathname === DOCS_PATH) {
        // The page loads its files by relative URLs, which resolve against the folder.
        res.writeHead(301, { location: PREFIX }).end();
        return true;
      }
      if (!pathname.startsWith(PREFIX)) return false;
      const file = pathname === PREFIX ? `${PREFIX}index.html` : pathname;
      if (existsSync(path.join(siteDir, DOCS_DATA_FILE))) {
        written ??= createStaticFiles([{ prefix: PREFIX, dir: siteDir, maxAgeS: 0 }]);
        return written.serve(req, res, file);
      }
      if (file === DOCS_DATA_PATH) {
        await sendGenerated(req, res);
        return true;
      }
      return packaged.serve(req, res, file);
    },
  };
}
