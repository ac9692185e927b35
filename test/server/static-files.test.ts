/**
 * Static files over a real HTTP server on a temp folder: content types and caching headers, 304 on
 * a matching ETag, HEAD, 405, an allow-list, and every way out of the folder refused (`..` plain and
 * encoded, backslashes, dotfiles, a symlink pointing outside), while a file outside stays unread.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createStaticFiles, relativeUnder } from '../../src/server/static-files';

describe('static files', () => {
  let root: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'martql-static-'));
    const pub = path.join(root, 'public');
    mkdirSync(path.join(pub, 'sub'), { recursive: true });
    writeFileSync(path.join(pub, 'app.js'), 'console.log(1);\n');
    writeFileSync(path.join(pub, 'sub', 'style.css'), 'body{}\n');
    writeFileSync(path.join(pub, '.env'), 'SECRET=1\n');
    writeFileSync(path.join(pub, 'hidden.txt'), 'not listed\n');
    writeFileSync(path.join(root, 'secret.txt'), 'outside\n');
    symlinkSync(path.join(root, 'secret.txt'), path.join(pub, 'link.txt'));
    const files = createStaticFiles([
      { prefix: '/only/', dir: pub, only: ['app.js'], maxAgeS: 60 },
      { prefix: '/pub/', dir: pub, maxAgeS: 0 },
    ]);
    server = createServer((req, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://x');
      void files.serve(req, res, pathname).then((served) => {
        if (!served) res.writeHead(418).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('serves files with their type, caching headers and ETag revalidation', async () => {
    const js = await fetch(`${base}/pub/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('no-cache');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe('console.log(1);\n');
    const etag = js.headers.get('etag')!;
    expect((await fetch(`${base}/pub/app.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const css = await fetch(`${base}/pub/sub/style.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const cached = await fetch(`${base}/only/app.js`);
    expect(cached.headers.get('cache-control')).toBe('public, max-age=60');

    const head = await fetch(`${base}/pub/app.js`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '16', '']);
    const post = await fetch(`${base}/pub/app.js`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(418);
  });

  it('refuses every path out of the folder, dotfiles, unlisted files and folders', async () => {
    const refused = [
      '/pub/../secret.txt',
      '/pub/%2e%2e/secret.txt',
      '/pub/sub/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/pub/..%5csecret.txt',
      '/pub/.env',
      '/pub/%2eenv',
      '/pub/link.txt',
      '/pub/sub',
      '/pub/sub/',
      '/pub/',
      '/pub/app.js%00.txt',
      '/pub/%E0%A4%A',
      '/only/hidden.txt',
      '/only/sub/style.css',
    ];
    for (const p of refused) {
      // fetch would normalize `..` itself: send the path as written. (The URL parser the server
      // uses folds a plain `/pub/../x` into `/x`, which no mount claims: 418 here, 404 in the app.)
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: new URL(base).port, path: p }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect([p, status === 404 || status === 418]).toEqual([p, true]);
      expect(body).not.toMatch(/outside|SECRET|not listed/);
    }
  });

  it('relativeUnder keeps only plain relative paths', () => {
    expect(relativeUnder('/p/', '/p/a/b.js')).toBe('a/b.js');
    expect(relativeUnder('/p/', '/p/a%20b.js')).toBe('a b.js');
    for (const bad of ['/p/', '/p/../x', '/p/a//b', '/p/./a', '/p/a\\b', '/p/%00', '/q/a.js', '/p/%ZZ'])
      expect([bad, relativeUnder('/p/', bad)]).toEqual([bad, undefined]);
  });
});
