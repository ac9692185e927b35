/**
 * `/docs` and `/dashboard` on a running server over a built jaffle_shop, with a read token set:
 * the redirects, the open page files, the data file closed like /graphql, docs generated on demand
 * (once, and again after a failure once the project is fixed, the failure naming the file), then
 * the site `generateDocs` writes served in their place without a restart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateDocs, type DocsData } from '../../src/docs';
import { runProject } from '../../src/run/runner';
import { startServer, type RunningServer } from '../../src/server';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { copyFixture } from '../helpers/temp-project';

const READ = { authorization: 'Bearer docs-reader' };

describe('/docs and /dashboard', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  let server: RunningServer;
  let base: string;
  const events: Record<string, unknown>[] = [];

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = copyFixture('jaffle_shop');
    const common = {
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    };
    expect((await runProject({ ...common, command: 'build' })).success).toBe(true);
    server = await startServer({
      ...common,
      port: 0,
      host: '127.0.0.1',
      readToken: 'docs-reader',
      log: (event) => events.push(event),
    });
    base = server.url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await server?.close();
    project?.cleanup();
    await pw?.cleanup();
  });

  const get = (url: string, init: RequestInit = {}) =>
    fetch(`${base}${url}`, { redirect: 'manual', ...init });

  it('redirects to the folders and serves the pages without a token', async () => {
    for (const [from, to] of [
      ['/docs', '/docs/'],
      ['/dashboard', '/dashboard/'],
    ]) {
      const res = await get(from);
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe(to);
    }
    const docs = await get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(await docs.text()).toContain('<script src="lineage.js"></script>');
    const dashboard = await get('/dashboard/');
    expect(await dashboard.text()).toContain('<script src="dashboard.js"></script>');
    for (const file of [
      '/docs/docs.js',
      '/docs/lineage.js',
      '/dashboard/charts.js',
      '/dashboard/graphql.js',
    ]) {
      const res = await get(file);
      expect([file, res.status, res.headers.get('content-type')]).toEqual([
        file,
        200,
        'text/javascript; charset=utf-8',
      ]);
    }
    for (const missing of [
      '/docs/nope.js',
      '/docs/%2e%2e/package.json',
      '/dashboard/../package.json',
      '/docs/.hidden',
    ]) {
      expect([missing, (await get(missing)).status]).toEqual([missing, 404]);
    }
  });

  it('closes the data like /graphql, generates it on demand once, and retries after a failure', async () => {
    expect((await get('/docs/docs.json')).status).toBe(401);
    expect((await get('/docs/docs.json', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);

    // A model broken after the server started: the generation fails, naming the file.
    const file = path.join(project.dir, 'models', 'marts', 'orders.sql');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n{{ ref('no_such_model') }}\n`);
    const broken = await get('/docs/docs.json', { headers: READ });
    expect(broken.status).toBe(500);
    expect(((await broken.json()) as { error: string }).error).toMatch(
      /models\/marts\/orders\.sql.*no_such_model/,
    );
    expect(events.filter((e) => e.event === 'docs_failed')).toHaveLength(1);

    writeFileSync(file, original);
    const first = await get('/docs/docs.json', { headers: READ });
    expect(first.status).toBe(200);
    const data = (await first.json()) as DocsData;
    expect(data.project).toBe('jaffle_shop');
    expect(data.nodes.filter((n) => n.resourceType === 'model')).toHaveLength(5);
    const orders = data.nodes.find((n) => n.id === 'model.jaffle_shop.orders')!;
    expect(orders.compiledSql).toContain(`"${pw.schema}"."stg_orders"`);
    expect(orders.columns.find((c) => c.name === 'amount')!.type).toBe('numeric');

    const again = (await (await get('/docs/docs.json', { headers: READ })).json()) as DocsData;
    expect(again.generatedAt).toBe(data.generatedAt);
    expect(events.filter((e) => e.event === 'docs_generated')).toHaveLength(1);
    expect((await get('/docs/docs.json', { method: 'POST', headers: READ })).status).toBe(405);
  });

  it('serves the site martql docs generate wrote, once it is there', async () => {
    const generated = await generateDocs({
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      noParseCache: true,
    });
    const res = await get('/docs/docs.json', { headers: READ });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(readFileSync(path.join(generated.siteDir, 'docs.json'), 'utf8'));
    expect(JSON.parse(text).generatedAt).toBe(generated.data.generatedAt);
    expect((await get('/docs/docs.json')).status).toBe(401);
    expect((await get('/docs/')).status).toBe(200);
    expect(events.filter((e) => e.event === 'docs_generated')).toHaveLength(1);
  });
});
