/**
 * `/metrics`: Prometheus metrics fed by the server's structured event stream, so whatever is
 * logged is also counted and nothing needs two call sites. Each server owns its Registry (never
 * prom-client's global one) so two servers in one process, as in the tests, keep separate figures.
 *
 * Events read here (anything else is ignored):
 * - `request`: `{ path, operationType?, status, ms }` — one per /graphql request;
 * - `refresh`: `{ trigger, kind, ms, models, rows, failed }` — one per refresh a resolver ran;
 * - `model_read`: `{ model, freshness, ms }` — one per model query answered.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ServerMetrics {
  readonly registry: Registry;
  /** Counts an event of the log stream. Never throws: metrics must not fail a request. */
  observe(event: Record<string, unknown>): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; text: string }>;
}

const REQUEST_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const REFRESH_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

/** A label value from an event field; absent or odd values get one bucket instead of many. */
function label(value: unknown, fallback = 'unknown'): string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : fallback;
}

function seconds(ms: unknown): number | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requestDuration = new Histogram({
    name: 'martql_graphql_request_duration_seconds',
    help: 'Time from a /graphql request to its response, by operation type and HTTP status',
    labelNames: ['operation', 'status'] as const,
    buckets: REQUEST_BUCKETS_S,
    registers,
  });
  const refreshDuration = new Histogram({
    name: 'martql_refresh_duration_seconds',
    help: 'Time a refresh took, by kind (FULL, INCREMENTAL, NONE)',
    labelNames: ['kind'] as const,
    buckets: REFRESH_BUCKETS_S,
    registers,
  });
  const refreshes = new Counter({
    name: 'martql_refreshes_total',
    help: 'Refreshes run, by kind and trigger (graphql: a stale read, mutation: asked for)',
    labelNames: ['kind', 'trigger'] as const,
    registers,
  });
  const refreshFailures = new Counter({
    name: 'martql_refresh_failed_models_total',
    help: 'Models that failed to rebuild during a refresh, by trigger',
    labelNames: ['trigger'] as const,
    registers,
  });
  const modelReads = new Counter({
    name: 'martql_model_reads_total',
    help: 'Model queries answered, by model and freshness (FRESH, REFRESHED, STALE_SERVED)',
    labelNames: ['model', 'freshness'] as const,
    registers,
  });
  const staleReads = new Counter({
    name: 'martql_stale_reads_total',
    help: 'Model queries answered with data older than its sources (freshness STALE_SERVED), by model',
    labelNames: ['model'] as const,
    registers,
  });

  function count(event: Record<string, unknown>): void {
    switch (event.event) {
      case 'request': {
        if (event.path !== undefined && event.path !== '/graphql') return;
        const s = seconds(event.ms);
        if (s === undefined) return;
        const status = typeof event.status === 'number' ? String(event.status) : label(event.status);
        requestDuration.observe({ operation: label(event.operationType), status }, s);
        return;
      }
      case 'refresh': {
        const kind = label(event.kind);
        refreshes.inc({ kind, trigger: label(event.trigger) });
        const s = seconds(event.ms);
        if (s !== undefined) refreshDuration.observe({ kind }, s);
        if (Array.isArray(event.failed) && event.failed.length > 0)
          refreshFailures.inc({ trigger: label(event.trigger) }, event.failed.length);
        return;
      }
      case 'model_read': {
        const model = label(event.model);
        const freshness = label(event.freshness);
        modelReads.inc({ model, freshness });
        if (freshness === 'STALE_SERVED') staleReads.inc({ model });
        return;
      }
      default:
        return;
    }
  }

  return {
    registry,
    observe(event) {
      try {
        count(event);
      } catch {
        // A malformed event is the logger's concern, not the request's.
      }
    },
    async render() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
