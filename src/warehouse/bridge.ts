/**
 * The main-thread end of the warehouse worker: starts it, sends requests, and settles replies,
 * asynchronously (a promise per request) or synchronously (blocking on `Atomics.wait`). The protocol
 * is described in `protocol.ts`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { MartqlError } from '../errors';
import { fromWireError } from './errors';
import {
  type Op,
  type OpValue,
  type Reply,
  SYNC_COUNTER,
  WORKER_EXITED,
  type WorkerConfig,
} from './protocol';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** The compiled worker when this file is compiled; else the JS entry that loads the TypeScript one. */
function workerPath(): string {
  const compiled = path.join(__dirname, 'worker.js');
  return __filename.endsWith('.js') && existsSync(compiled)
    ? compiled
    : path.join(__dirname, 'worker-entry.js');
}

export class Bridge {
  private readonly worker: Worker;
  private readonly syncPort: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: MartqlError | undefined;

  constructor(config: WorkerConfig) {
    const channel = new MessageChannel();
    this.syncPort = channel.port1;
    this.worker = new Worker(workerPath(), {
      workerData: { config, syncPort: channel.port2, signal: this.signal },
      transferList: [channel.port2],
    });
    // Referenced only while an asynchronous request is pending (see `call`).
    this.worker.unref();
    this.syncPort.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (err) =>
      this.fail(new MartqlError('INTERNAL', 'the warehouse worker failed', { cause: err })),
    );
    this.worker.on('exit', (code) =>
      this.fail(new MartqlError('INTERNAL', `the warehouse worker exited (code ${code})`)),
    );
  }

  /** `transfer`: buffers the op owns outright, moved to the worker instead of copied (COPY data). */
  call<K extends Op['kind']>(
    session: number,
    op: Extract<Op, { kind: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<OpValue[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<OpValue[K]>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, session, sync: false, op }, transfer);
    });
  }

  callSync<K extends Op['kind']>(session: number, op: Extract<Op, { kind: K }>): OpValue[K] {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    let seen = Atomics.load(this.signal, SYNC_COUNTER);
    this.syncPort.postMessage({ id, session, sync: true, op });
    for (;;) {
      Atomics.wait(this.signal, SYNC_COUNTER, seen);
      seen = Atomics.load(this.signal, SYNC_COUNTER);
      for (
        let received = receiveMessageOnPort(this.syncPort);
        received;
        received = receiveMessageOnPort(this.syncPort)
      ) {
        const reply = received.message as Reply;
        if (reply.id !== id) continue; // a stale reply; cannot happen while one sync call runs at a time
        if (!reply.ok) throw fromWireError(reply.error);
        return reply.value as OpValue[K];
      }
      if (Atomics.load(this.signal, WORKER_EXITED) === 1) {
        throw new MartqlError('INTERNAL', 'the warehouse worker exited during a synchronous query');
      }
    }
  }

  /** Terminates the worker; pending requests fail. */
  async terminate(): Promise<void> {
    this.fail(new MartqlError('INTERNAL', 'the warehouse is closed'));
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWireError(reply.error));
  }

  private fail(err: MartqlError): void {
    this.failure ??= err;
    for (const pending of this.pending.values()) pending.reject(err);
    this.pending.clear();
  }
}
