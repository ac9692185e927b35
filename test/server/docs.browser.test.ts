/**
 * The docs site as a person uses it: headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) loads `/docs` from a running server over a built jaffle_shop with a source, with
 * every request to another host blocked. The lineage graph has one node per model, seed and source
 * and one edge per dependency (the manifest is the oracle); pointing at a node lights up exactly its
 * ancestors and descendants; clicking one opens its page, whose columns are the warehouse's
 * (information_schema) and whose compiled SQL is what `compile` produces. Screenshots go to
 * test-artifacts/. Without /usr/bin/chromium the test says so loudly and is skipped (CI installs it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { compileProject } from '../../src/compile/compile-project';
import { ancestors, descendants } from '../../src/graph';
import { runProject } from '../../src/run/runner';
import { startServer, type RunningServer } from '../../src/server';
import { ARTIFACTS, describeBrowser, launchChromium, offlinePage } from '../helpers/browser';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { copyFixture } from '../helpers/temp-project';

const describeIfChromium = describeBrowser('docs');
const ORDERS = 'model.jaffle_shop.orders';

// A build, a server and a browser on shared CI machines: generous limits.
jest.setTimeout(300_000);

describeIfChromium('the docs site in a browser', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = copyFixture('jaffle_shop');
    writeFileSync(
      path.join(project.dir, 'models', 'staging', 'shop_sources.yml'),
      `version: 2\nsources:\n  - name: shop\n    schema: ${pw.schema}\n    tables:\n` +
        '      - name: payments_feed\n        identifier: raw_payments\n        description: Payments as the shop exports them.\n',
    );
    writeFileSync(
      path.join(project.dir, 'models', 'staging', 'payment_methods.sql'),
      "select distinct payment_method from {{ source('shop', 'payments_feed') }}\n",
    );
    const common = {
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    };
    // The source is a seed's table, which the DAG cannot know: seeds first.
    expect((await runProject({ ...common, command: 'seed' })).success).toBe(true);
    expect((await runProject({ ...common, command: 'build' })).success).toBe(true);
    server = await startServer({ ...common, port: 0, host: '127.0.0.1', log: () => undefined });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    project?.cleanup();
    await pw?.cleanup();
  });

  it('draws the lineage offline and opens a node page with its columns and compiled SQL', async () => {
    const { page, offsite, failures } = await offlinePage(browser, { width: 1400, height: 1000 });

    const manifest = server.services.manifest;
    const graphIds = [
      ...[...manifest.nodes.values()].filter((n) => ['model', 'seed', 'snapshot'].includes(n.resourceType)),
      ...manifest.sources.values(),
    ]
      .map((n) => n.uniqueId)
      .sort();
    const inGraph = new Set(graphIds);
    const edgeCount = graphIds.reduce(
      (sum, id) => sum + (manifest.parents.get(id) ?? []).filter((p) => inGraph.has(p)).length,
      0,
    );
    expect(graphIds).toContain('source.jaffle_shop.shop.payments_feed');

    await page.goto(server.url.replace(/\/graphql$/, '/docs'));
    await page.locator('svg.lineage .lineage-node').first().waitFor({ timeout: 120_000 });
    // Expressions run in the page (this project's TypeScript has no DOM types).
    const attrs = (selector: string, name: string) =>
      page.evaluate(
        `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getAttribute(${JSON.stringify(name)}))`,
      ) as Promise<string[]>;
    expect((await attrs('svg.lineage .lineage-node', 'data-id')).sort()).toEqual(graphIds);
    expect(await page.locator('svg.lineage path.lineage-edge').count()).toBe(edgeCount);
    expect(await page.locator('svg.lineage .lineage-node.kind-source').count()).toBe(1);

    // Pointing at orders lights up its ancestors and descendants, and nothing else.
    await page.locator(`.lineage-node[data-id="${ORDERS}"]`).hover();
    const up = [...ancestors(manifest, [ORDERS])].filter((id) => inGraph.has(id) && id !== ORDERS).sort();
    const down = [...descendants(manifest, [ORDERS])].filter((id) => inGraph.has(id) && id !== ORDERS).sort();
    expect(up.length).toBeGreaterThan(2);
    expect((await attrs('.lineage-node.is-upstream', 'data-id')).sort()).toEqual(up);
    expect((await attrs('.lineage-node.is-downstream', 'data-id')).sort()).toEqual(down);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-lineage.png') });

    await page.locator(`.lineage-node[data-id="${ORDERS}"]`).click();
    await page.locator(`article.node[data-id="${ORDERS}"] #columns`).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).hash).toBe(`#!/node/${encodeURIComponent(ORDERS)}`);
    expect(await page.locator('article.node h1').textContent()).toContain('orders');

    const { rows: columns } = await pw.wh.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns
       where table_schema = $1 and table_name = 'orders' order by ordinal_position`,
      [pw.schema],
    );
    expect(await attrs('#columns tbody tr', 'data-column')).toEqual(columns.map((c) => c.column_name));
    const shownTypes = (await page.locator('#columns tbody td.type').allTextContents()).map((t) => t.trim());
    expect(shownTypes).toEqual(columns.map((c) => c.data_type));

    const compiled = await compileProject({
      projectDir: project.dir,
      session: pw.wh,
      target: pw.target,
      write: false,
      noParseCache: true,
      select: ['orders'],
    });
    expect(await page.locator('#compiled-sql').textContent()).toBe(compiled.compiled.get(ORDERS)!.sql);
    // The page's own lineage marks the node and its upstream.
    expect(await attrs('#lineage .lineage-node.is-selected', 'data-id')).toEqual([ORDERS]);
    expect((await attrs('#lineage .lineage-node.is-upstream', 'data-id')).sort()).toEqual(up);
    await page.screenshot({ path: path.join(ARTIFACTS, 'docs-model.png'), fullPage: true });

    await page.locator('button.tab[data-tab="source"]').click();
    expect(await page.locator('#source-code').textContent()).toContain("ref('stg_orders')");

    // The sidebar filter and a link to a source page.
    await page.locator('#search').fill('payments_feed');
    expect(await attrs('#sidebar a', 'data-id')).toEqual(['source.jaffle_shop.shop.payments_feed']);
    await page.locator('#sidebar a').first().click();
    await page.locator('article.node[data-id="source.jaffle_shop.shop.payments_feed"]').waitFor();
    expect(await page.locator('article.node .description').textContent()).toBe(
      'Payments as the shop exports them.',
    );
    console.log(`docs screenshots: ${path.join(ARTIFACTS, 'docs-lineage.png')}, docs-model.png`);

    expect(offsite).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  });
});
