/**
 * The reference dashboard as a person uses it: headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core) loads `/dashboard` from a server over the built example project with
 * every request to another host blocked. What it draws is checked against the marts read directly
 * with SQL: one heatmap cell per cohort and period with its retention rate, one bar per channel and
 * attribution model with its value, histograms holding every customer of each segment, a row per
 * model. The refresh button refuses without the admin token, then, with it typed in, runs a job that
 * reaches SUCCEEDED and is recorded as a mutation run. A second server with a read token shows the
 * page asking for it, then working once it is typed. Screenshots go to test-artifacts/. Without
 * /usr/bin/chromium the test says so loudly and is skipped (CI installs it).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  ARTIFACTS,
  describeBrowser,
  launchChromium,
  offlinePage,
  type OfflinePage,
} from '../helpers/browser';
import { startServer, type RunningServer } from '../../src/server';
import { ADMIN, ROOT, startExampleApi, type ExampleApi } from '../graphql/api/example-api';

const describeIfChromium = describeBrowser('dashboard');
const ADMIN_TOKEN = ADMIN.authorization.slice('Bearer '.length);

// The example is generated and built first, and CI machines are shared: generous limits.
jest.setTimeout(600_000);

describeIfChromium('the dashboard in a browser', () => {
  let api: ExampleApi;
  let browser: Browser;

  beforeAll(async () => {
    api = await startExampleApi();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** A page whose requests to other hosts are aborted and recorded, as are script errors. */
  async function dashboardPage(): Promise<OfflinePage & { data: string[] }> {
    const opened = await offlinePage(browser, { width: 1400, height: 1000 });
    // Every request that is not one of the page's own files: the public API only, so POST /graphql.
    const data: string[] = [];
    opened.page.on('request', (req) => {
      const { pathname } = new URL(req.url());
      if (!pathname.startsWith('/dashboard')) data.push(`${req.method()} ${pathname}`);
    });
    return { ...opened, data };
  }

  // Expressions run in the page (this project's TypeScript has no DOM types).
  const marks = (page: Page, selector: string, names: string[]) =>
    page.evaluate(
      `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => ${JSON.stringify(names)}.map((n) => e.getAttribute(n)))`,
    ) as Promise<string[][]>;

  it('draws the marts as SQL sees them and refreshes with the admin token', async () => {
    const { page, offsite, failures, data } = await dashboardPage();
    await page.goto(api.server.url.replace(/\/graphql$/, '/dashboard'));
    // Attached, not visible: an empty histogram bin is drawn with no height.
    for (const mark of [
      '#heatmap .heat-cell',
      '#channel-chart .bar',
      '#clv-chart .clv-bin',
      '#models-table tbody tr',
    ])
      await page.locator(mark).first().waitFor({ state: 'attached', timeout: 150_000 });

    // Heatmap: one cell per monthly cohort and period, with its retention rate.
    const { rows: retention } = await api.pw.wh.query<{ start: string; period: number; rate: number }>(
      `select cohort_start::text as start, period_number as period, retention_rate::float8 as rate
       from ${api.rel('cohort_retention')} where cohort_type = 'month'`,
    );
    expect(retention.length).toBeGreaterThan(2);
    const cells = await marks(page, '#heatmap .heat-cell', ['data-row', 'data-column', 'data-value']);
    const key = (start: string, period: number | string) => `${start}/${period}`;
    expect(new Map(cells.map(([row, column, value]) => [key(row, column), Number(value)]))).toEqual(
      new Map(retention.map((r) => [key(r.start, r.period), r.rate])),
    );
    expect(cells).toHaveLength(retention.length);

    // Channel chart: a bar per channel and attribution model, every model side by side.
    const { rows: attribution } = await api.pw.wh.query<{ channel: string; model: string; value: number }>(
      `select channel, attribution_model as model, attributed_value::float8 as value
       from ${api.rel('attribution_by_channel')}`,
    );
    const channels = new Set(attribution.map((r) => r.channel));
    const models = new Set(attribution.map((r) => r.model));
    expect(models.size).toBe(6);
    expect(attribution).toHaveLength(channels.size * models.size);
    const bars = await marks(page, '#channel-chart .bar', ['data-group', 'data-series', 'data-value']);
    expect(new Map(bars.map(([channel, model, value]) => [`${channel}/${model}`, Number(value)]))).toEqual(
      new Map(attribution.map((r) => [`${r.channel}/${r.model}`, r.value])),
    );
    expect(bars).toHaveLength(channels.size * models.size);

    // CLV: every customer with a prediction lands in one bin of their segment's histogram.
    const { rows: segments } = await api.pw.wh.query<{ segment: string; n: number }>(
      `select customer_segment as segment, count(predicted_clv)::int as n
       from ${api.rel('customer_clv')} group by customer_segment`,
    );
    const bins = await marks(page, '#clv-chart .clv-bin', ['data-group', 'data-count']);
    const perSegment = new Map<string, number>();
    for (const [segment, count] of bins)
      perSegment.set(segment, (perSegment.get(segment) ?? 0) + Number(count));
    expect(perSegment).toEqual(new Map(segments.map((s) => [s.segment, s.n])));

    // A row per model of the project.
    const listed = await api.gql('{ models { name } }');
    const rows = await marks(page, '#models-table tbody tr', ['data-model']);
    expect(rows.map(([name]) => name).sort()).toEqual(
      listed.data!.models.map((m: { name: string }) => m.name).sort(),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // Without a token the refresh is refused, and the page says why.
    await page.locator('#refresh-select').fill('cohort_retention');
    await page.locator('#refresh-button').click();
    await page.locator('#job[data-status="ERROR"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#job').textContent()).toContain('admin token');
    expect(await api.runs('model.analytics_engineering_toolkit.cohort_retention', 'mutation')).toBe(0);

    // With it, the job runs to SUCCEEDED, and the server recorded a mutation run.
    await page.locator('#token').fill(ADMIN_TOKEN);
    await page.locator('#token-form button').click();
    await page.locator('#refresh-button').click();
    await page.locator('#job[data-status="SUCCEEDED"]').waitFor({ timeout: 300_000 });
    const jobId = await page.locator('#job').getAttribute('data-job');
    const job = await api.gql(
      'query ($id: ID!) { refreshJob(id: $id) { status progress { total done } } }',
      { id: jobId },
      ADMIN,
    );
    expect(job.data!.refreshJob).toEqual({ status: 'SUCCEEDED', progress: { total: 1, done: 1 } });
    expect(await api.runs('model.analytics_engineering_toolkit.cohort_retention', 'mutation')).toBe(1);
    // After the job the panels reload: the model's last run is now the mutation's.
    await page.waitForFunction(
      `document.querySelector('#models-table tr[data-model="cohort_retention"]')?.textContent.includes('mutation') &&
       document.getElementById('status').textContent.startsWith('Updated')`,
      undefined,
      { timeout: 150_000 },
    );
    expect(await page.locator('#heatmap .heat-cell').count()).toBe(retention.length);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-refreshed.png'), fullPage: true });
    console.log(`dashboard screenshots: ${path.join(ARTIFACTS, 'dashboard.png')}, dashboard-refreshed.png`);

    expect(data.length).toBeGreaterThan(10);
    expect(new Set(data)).toEqual(new Set(['POST /graphql']));
    expect(offsite).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  });

  it('asks for the read token when the server wants one, and works once it is typed', async () => {
    let reader: RunningServer | undefined;
    try {
      reader = await startServer({
        projectDir: ROOT,
        warehouse: api.pw.wh,
        target: api.pw.target,
        stateSchema: api.pw.stateSchema,
        vars: { raw_schema: api.rawSchema },
        noParseCache: true,
        port: 0,
        host: '127.0.0.1',
        readToken: 'dashboard-reader',
        log: () => undefined,
      });
      const { page, offsite, failures } = await dashboardPage();
      await page.goto(reader.url.replace(/\/graphql$/, '/dashboard/'));
      await page.waitForFunction(`document.getElementById('status').className === 'warn'`, undefined, {
        timeout: 150_000,
      });
      expect(await page.locator('#status').textContent()).toContain('needs a token');
      expect(await page.locator('#heatmap .heat-cell').count()).toBe(0);
      await page.locator('#token').fill('dashboard-reader');
      await page.locator('#token-form button').click();
      await page.locator('#heatmap .heat-cell').first().waitFor({ timeout: 150_000 });
      await page.locator('#channel-chart .bar').first().waitFor({ timeout: 150_000 });
      // 401s are answers, not failed requests; nothing left the machine.
      expect(offsite).toEqual([]);
      expect(failures).toEqual([]);
      await page.close();
    } finally {
      await reader?.close();
    }
  });
});
