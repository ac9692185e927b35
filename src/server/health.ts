/**
 * `/healthz`: a liveness answer that never touches the warehouse (on PGlite a running refresh holds
 * the only connection, and a health check must not queue behind it).
 */
import type { ServerResponse } from 'node:http';

export interface Health {
  status: 'ok' | 'stopping';
  models: number;
  backgroundRefreshes: number;
  uptimeS: number;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendHealth(res: ServerResponse, health: Health): void {
  sendJson(res, health.status === 'ok' ? 200 : 503, health);
}
