/**
 * The playground as a person uses it: headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) loads `/` from a running server with every request to another host blocked,
 * runs the example query the page opens with, and sees the model's rows in the result pane. Proves
 * the page needs nothing from the internet. A screenshot goes to test-artifacts/ for a human look.
 * Without /usr/bin/chromium the test says so loudly and is skipped (CI installs it).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server';
import { ARTIFACTS, describeBrowser, launchChromium, offlinePage } from '../helpers/browser';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { buildSlowProject, type SlowProject } from './slow-project';

const describeIfChromium = describeBrowser('playground');

describeIfChromium('the playground in a browser', () => {
  let pw: ProjectWarehouse;
  let project: SlowProject;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = await buildSlowProject(pw, 0);
    server = await startServer({
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars: project.vars,
      noParseCache: true,
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    project?.cleanup();
    await pw?.cleanup();
  });

  it('opens offline with an example query for the exposed model and shows its rows', async () => {
    const { page, offsite, failures } = await offlinePage(browser, { width: 1400, height: 900 });

    await page.goto(server.url.replace(/\/graphql$/, '/'));
    const editor = page.locator('.graphiql-query-editor');
    await editor.waitFor({ timeout: 20_000 });
    // The opening tab is the exposed model's example, written from its columns.
    // Expressions run in the page (this project's TypeScript has no DOM types).
    const paneContains = (selector: string, text: string) =>
      `document.querySelector(${JSON.stringify(selector)})?.textContent?.includes(${JSON.stringify(text)})`;
    await page.waitForFunction(paneContains('.graphiql-query-editor', 'slowItems'));
    expect(await editor.textContent()).toMatch(
      /slowItems\(limit: 10\)[\s\S]*rows \{[\s\S]*id label[\s\S]*freshness/,
    );

    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await page.waitForFunction(paneContains('.graphiql-response', '"label": "gamma"'), undefined, {
      timeout: 20_000,
    });
    const text = (await response.textContent()) ?? '';
    for (const label of ['alpha', 'beta', 'gamma']) expect(text).toContain(`"label": "${label}"`);
    expect(text).toContain('"freshness": "FRESH"');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'playground.png');
    await page.screenshot({ path: shot });
    console.log(`playground screenshot: ${shot}`);

    expect(offsite).toEqual([]);
    expect(failures).toEqual([]);
    await page.close();
  });
});
