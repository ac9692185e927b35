/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core,
 * with the flags that keep it off the network, and pages whose every request to a host other than
 * this machine is aborted and recorded (so a test proves the page needs nothing from the internet).
 * Without /usr/bin/chromium the tests say so loudly and are skipped (CI installs it).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `describe` when Chromium is installed; otherwise a loud warning and `describe.skip`. */
export function describeBrowser(what: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  console.warn(
    `\n*** ${CHROMIUM} is missing: the ${what} browser test is SKIPPED. Install it with ` +
      '`apt-get install -y chromium` (.ci/run does). ***\n',
  );
  return describe.skip;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OfflinePage {
  page: Page;
  /** Requests to other hosts, aborted (a test expects none). */
  offsite: string[];
  /** Page errors and failed requests. */
  failures: string[];
}

export async function offlinePage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<OfflinePage> {
  const page = await browser.newPage({ viewport });
  const offsite: string[] = [];
  const failures: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (!/^https?:/.test(url) || LOCAL_HOSTS.has(new URL(url).hostname)) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page.on('pageerror', (err) => failures.push(err.message));
  page.on('requestfailed', (req) => failures.push(`${req.url()}: ${req.failure()?.errorText}`));
  return { page, offsite, failures };
}
