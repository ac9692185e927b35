/**
 * Files served as they are on disk: the playground's bundles today, the docs and dashboard pages
 * later. One module so every such page gets the same guarantees: a URL can only name a file inside
 * its mount (no `..`, no encoded separators, no dotfiles, no symlink out of the folder), an optional
 * allow-list narrows a mount that points into node_modules to the few files the page needs, the
 * content type comes from the extension, and revalidation is cheap (an ETag from size and mtime,
 * answered with 304).
 */
import { createReadStream, realpathSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { sendJson } from './health';

export interface StaticMount {
  /** The URL prefix, with a trailing slash: `/playground/vendor/`. */
  prefix: string;
  /** The folder the prefix maps to. */
  dir: string;
  /** When given, only these paths (relative to `dir`, with `/`) are served. */
  only?: readonly string[];
  /** `Cache-Control: max-age`; 0 means revalidate on every use. */
  maxAgeS: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The relative path a URL path names under a prefix, or undefined when it names nothing servable.
 * Pure, so the traversal rules are tested without a server.
 */
export function relativeUnder(prefix: string, pathname: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  let rel: string;
  try {
    rel = decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
  if (rel === '' || rel.includes('\0') || rel.includes('\\')) return undefined;
  const segments = rel.split('/');
  // `..` and `.` escape or alias; a leading dot also hides files such as .env or .git.
  if (segments.some((s) => s === '' || s.startsWith('.'))) return undefined;
  return segments.join('/');
}

function isInside(root: string, file: string): boolean {
  return file.startsWith(root + path.sep);
}

export interface StaticFiles {
  /** Serves the file `pathname` names and returns true, or returns false when no mount claims it. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
}

export function createStaticFiles(mounts: readonly StaticMount[]): StaticFiles {
  // Resolved once: a mount into node_modules may itself be a symlink (npm link, workspaces).
  const resolved = mounts.map((m) => ({ ...m, root: realpathSync(m.dir), only: m.only && new Set(m.only) }));
  return {
    async serve(req, res, pathname) {
      const mount = resolved.find((m) => pathname.startsWith(m.prefix));
      if (!mount) return false;
      const rel = relativeUnder(mount.prefix, pathname);
      if (rel === undefined || (mount.only && !mount.only.has(rel))) {
        sendJson(res, 404, { error: `no file ${pathname}` });
        return true;
      }
      let file: string;
      let info: Stats;
      try {
        file = await realpath(path.join(mount.root, rel));
        info = await stat(file);
      } catch {
        sendJson(res, 404, { error: `no file ${pathname}` });
        return true;
      }
      if (!isInside(mount.root, file) || !info.isFile()) {
        sendJson(res, 404, { error: `no file ${pathname}` });
        return true;
      }
      sendFile(req, res, file, info, mount.maxAgeS);
      return true;
    },
  };
}

/** Writes a file with its headers (GET and HEAD only); 304 when the client's ETag still matches. */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  info: Stats,
  maxAgeS: number,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': contentTypeOf(file),
    'cache-control': maxAgeS > 0 ? `public, max-age=${maxAgeS}` : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
