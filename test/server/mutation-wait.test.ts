/**
 * A mutation never outlives its request: asked to wait 60 s for a build that takes 4 s on a server
 * whose request timeout is 2.5 s, `refresh` answers (HTTP 200, RUNNING, with the job id) before
 * the timeout, and the job then polls to SUCCEEDED.
 */
import { startServer, type RunningServer } from '../../src/server';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { buildSlowProject, type SlowProject } from './slow-project';

describe('a refresh mutation slower than the request timeout', () => {
  let pw: ProjectWarehouse;
  let project: SlowProject;
  let server: RunningServer;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = await buildSlowProject(pw, 0);
    server = await startServer({
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars: { sleep_s: 4 },
      noParseCache: true,
      port: 0,
      host: '127.0.0.1',
      adminToken: 'wait-admin',
      requestTimeoutMs: 2500,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await server?.close();
    project?.cleanup();
    await pw?.cleanup();
  });

  const post = async (query: string) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wait-admin' },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: unknown[] } };
  };

  it('answers RUNNING with the job id before the timeout, and the job finishes', async () => {
    const started = performance.now();
    const answer = await post(
      `mutation { refresh(select: "slow_items", fullRefresh: true, wait: 60) { id status } }`,
    );
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.refresh.status).toBe('RUNNING');
    expect(elapsed).toBeLessThan(2500);
    let status = 'RUNNING';
    for (let i = 0; i < 300 && status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const polled = await post(`{ refreshJob(id: "${answer.body.data.refresh.id}") { status } }`);
      status = polled.body.data.refreshJob.status;
    }
    expect(status).toBe('SUCCEEDED');
  });
});
