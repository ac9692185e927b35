/**
 * The warehouse worker thread: opens the driver named by `workerData.config` and answers requests
 * from both ports (see `protocol.ts` for the protocol and why it exists). Started through
 * `worker-entry.js` so it runs from TypeScript sources and from a compiled build alike.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { CopySink, Driver } from './driver';
import { InternalError, toWireError } from './errors';
import { JsonPageWriter } from './json-rows';
import { PgDriver } from './pg-driver';
import { PgliteDriver } from './pglite-driver';
import {
  type Op,
  type Reply,
  type Request,
  SYNC_COUNTER,
  WORKER_EXITED,
  type WorkerConfig,
} from './protocol';

interface WorkerData {
  config: WorkerConfig;
  syncPort: MessagePort;
  signal: Int32Array;
}

const { config, syncPort, signal } = workerData as WorkerData;
const copies = new Map<number, CopySink>();
const locks = new Map<number, () => Promise<void>>();
let nextId = 1;
let driver: Driver | undefined;

function openDriver(): Driver {
  return config.url !== undefined ? new PgDriver(config) : new PgliteDriver(config);
}

function take<T>(map: Map<number, T>, id: number, what: string): T {
  const value = map.get(id);
  if (value === undefined) throw new InternalError(`unknown ${what} ${id}`);
  return value;
}

/** A value whose buffers move to the main thread instead of being copied (a page of JSON rows). */
class Moved {
  constructor(
    readonly value: unknown,
    readonly buffers: ArrayBuffer[],
  ) {}
}

async function perform(session: number, sync: boolean, op: Op): Promise<unknown> {
  if (op.kind === 'open') {
    const opened = openDriver();
    await opened.open();
    driver = opened;
    return undefined;
  }
  if (!driver) throw new InternalError('the warehouse is closed');
  switch (op.kind) {
    case 'query':
      return driver.query(session, op.sql, op.params, sync);
    case 'queryJson': {
      const page = new JsonPageWriter(op.encoding);
      await driver.queryRows(session, op.sql, op.params, (values) => page.row(values));
      const rows = page.done();
      return new Moved(rows, [rows.bytes.buffer as ArrayBuffer]);
    }
    case 'exec':
      return driver.exec(session, op.sql, sync);
    case 'begin':
      return driver.begin();
    case 'commit':
    case 'rollback':
      return driver.end(session, op.kind === 'commit');
    case 'copyBegin': {
      const id = nextId++;
      copies.set(id, await driver.copy(session, op.spec));
      return id;
    }
    case 'copyData':
      return take(copies, op.copyId, 'copy').write(op.chunk);
    case 'copyEnd': {
      const sink = take(copies, op.copyId, 'copy');
      copies.delete(op.copyId);
      return sink.end();
    }
    case 'copyAbort': {
      const sink = copies.get(op.copyId);
      copies.delete(op.copyId);
      return sink?.abort(op.reason);
    }
    case 'lock': {
      const id = nextId++;
      locks.set(id, await driver.lock(op.key));
      return id;
    }
    case 'unlock': {
      const release = take(locks, op.lockId, 'lock');
      locks.delete(op.lockId);
      return release();
    }
    case 'close': {
      const closing = driver;
      driver = undefined;
      await closing.close();
      return undefined;
    }
    default: {
      const never: never = op;
      throw new InternalError(`unknown warehouse op ${JSON.stringify(never)}`);
    }
  }
}

async function answer(request: Request): Promise<[Reply, ArrayBuffer[]]> {
  try {
    const value = await perform(request.session, request.sync, request.op);
    return value instanceof Moved
      ? [{ id: request.id, ok: true, value: value.value }, value.buffers]
      : [{ id: request.id, ok: true, value }, []];
  } catch (err) {
    return [{ id: request.id, ok: false, error: toWireError(err) }, []];
  }
}

parentPort?.on('message', (request: Request) => {
  void answer(request).then(([reply, moved]) => parentPort?.postMessage(reply, moved));
});

syncPort.on('message', (request: Request) => {
  void answer(request).then(([reply, moved]) => {
    // Post first, then wake the main thread: the reply is already queued on its port when it wakes.
    syncPort.postMessage(reply, moved);
    Atomics.add(signal, SYNC_COUNTER, 1);
    Atomics.notify(signal, SYNC_COUNTER);
  });
});

process.on('exit', () => {
  Atomics.store(signal, WORKER_EXITED, 1);
  Atomics.add(signal, SYNC_COUNTER, 1);
  Atomics.notify(signal, SYNC_COUNTER);
});
