// The Postgres side of the queue kit: one connection set per kit (a small pool and one LISTEN
// connection), shared by every BullMQ queue and worker of the kit, and made to ride out a
// database that refuses connections ("too many clients", restarts).
//
// BullMQ's own `createPostgresBackend` gives every Queue and every Worker its own pool plus, for
// a worker, its own LISTEN connection: a worker process with a few task queues held ~20
// connections, an engine ~10 per project, and two of each exhausted max_connections.
import {
  ConnectionClosedError,
  PostgresConnection,
  PostgresQueueBackend,
  runMigrations,
  type BackendFactory,
  type PostgresConnectionOptions,
} from 'bullmq';

type PgListenClient = Awaited<ReturnType<PostgresConnection['getListenClient']>>;
type PgPoolClient = Awaited<ReturnType<PostgresConnection['pool']['connect']>>;
type QueueBaseOpts = Parameters<BackendFactory<PostgresQueueBackend, PostgresConnectionOptions>>[1];

export interface SharedPostgresOptions {
  connectionString: string;
  /** The queues' schema (one per project). */
  schema: string;
  /** `application_name` of every connection (pg_stat_activity). */
  applicationName: string;
  /** Most pooled connections for queue commands (the LISTEN connection is extra). */
  poolMax: number;
  /** Pooled connections idle this long are closed. */
  idleTimeoutMs?: number;
  /** How long a command keeps trying to get a connection the server refuses before it fails. */
  acquireRetryMs?: number;
  /** Called with a short line when the database refuses or drops connections, and when it is back (throttled). */
  log?: (line: string) => void;
}

/** SQLSTATEs and socket errors that mean "the server cannot take this connection right now". */
const TRANSIENT_SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES =
  /too many clients already|too many connections for (role|database)|remaining connection slots are reserved|Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error|not queryable|Connection is closed/;

/** True for a refused, dropped or not-yet-possible connection: retrying later can succeed. */
export function isTransientPostgresError(err: unknown): boolean {
  if (err instanceof ConnectionClosedError) return true;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code))) return true;
  return TRANSIENT_MESSAGES.test(err instanceof Error ? err.message : String(err));
}

/**
 * BullMQ's Worker retries an operation only when it sees a *connection* error (ioredis' "Connection
 * is closed.", ECONNREFUSED); any other error makes it give up on the operation. A completed job
 * whose completion could not be written (Postgres refused the connection) then keeps its lock until
 * it expires, and the stalled-job check hands it to another worker, which runs the task again. As a
 * ConnectionClosedError, the completion is retried until it is written.
 */
function asConnectionError(err: unknown): unknown {
  if (err instanceof ConnectionClosedError || !isTransientPostgresError(err)) return err;
  const wrapped = new ConnectionClosedError((err as Error).message, err);
  (wrapped as { code?: unknown }).code = (err as { code?: unknown }).code;
  return wrapped;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * One pool + one LISTEN connection for all of a kit's queues and workers (same schema), with:
 * - connection refusals retried with backoff (up to `acquireRetryMs`) before a command fails, and
 *   reported to BullMQ as connection errors, which its Worker retries instead of dropping;
 * - readiness (schema migration) retried on the next use when it failed, instead of BullMQ's
 *   memoized failure that left a queue or worker created while Postgres refused connections
 *   failing every command until the process restarted;
 * - the LISTEN connection re-established with backoff, not in a 100 ms loop.
 */
export class SharedPostgresConnection extends PostgresConnection {
  readonly label: string;
  #ready?: Promise<void>;
  #listenFailures = 0;
  #nextListenAttempt = 0;
  #failing = false;
  #lastLog = 0;
  #suppressed = 0;
  readonly #acquireRetryMs: number;
  readonly #log: (line: string) => void;

  constructor(opts: SharedPostgresOptions) {
    super({
      connectionString: opts.connectionString,
      schema: opts.schema,
      max: opts.poolMax,
      idleTimeoutMillis: opts.idleTimeoutMs ?? 10_000,
      // Also bounds the wait for a free pooled connection; a timeout is retried like a refusal.
      connectionTimeoutMillis: 10_000,
      application_name: opts.applicationName,
    });
    this.label = `schema ${opts.schema}`;
    this.#acquireRetryMs = opts.acquireRetryMs ?? 20_000;
    this.#log = opts.log ?? ((line) => console.error(line));
    // Every backend of the kit listens on this one connection (and its LISTEN client).
    this.setMaxListeners(0);
    // Idle pooled clients and the LISTEN client report drops here (BullMQ swallows them without a listener).
    this.on('error', (err: Error) =>
      isTransientPostgresError(err) ? this.#transient(err) : this.#log(`[whetstone] queue database (${this.label}): ${err.message}`),
    );

    const pool = this.pool;
    const rawConnect = pool.connect.bind(pool);
    const connect = async (): Promise<PgPoolClient> => {
      const started = Date.now();
      for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
        try {
          const client = await rawConnect();
          this.#recovered();
          return client;
        } catch (err) {
          if (!isTransientPostgresError(err) || this.isClosing || Date.now() - started + delay > this.#acquireRetryMs)
            throw asConnectionError(err);
          this.#transient(err as Error);
          await sleep(delay + Math.random() * delay * 0.2);
        }
      }
    };
    // Only getting a connection is retried here (the command was not sent, so this is always
    // safe); a command that fails on a connection dropped mid-way is left to BullMQ.
    pool.connect = connect;
    pool.query = (async (text: string, params?: readonly unknown[]) => {
      const client = await connect();
      // A checked-out client has no 'error' listener of the pool's: a connection dropped now would
      // be an uncaught exception (pg's own pool.query guards the same way). The query rejects too.
      let broken = false;
      const onError = () => (broken = true);
      client.on('error', onError);
      try {
        return await client.query(text, params);
      } catch (err) {
        broken ||= isTransientPostgresError(err);
        throw asConnectionError(err);
      } finally {
        (client as unknown as NodeJS.EventEmitter).removeListener('error', onError);
        client.release(broken);
      }
    }) as typeof pool.query;
  }

  /** Migrates the schema once; unlike BullMQ's, a failed attempt is retried by the next caller. */
  override waitUntilReady(): Promise<void> {
    if (!this.#ready) {
      const attempt = (async () => {
        const client = await this.pool.connect();
        let broken = false;
        const onError = () => (broken = true);
        client.on('error', onError);
        try {
          await runMigrations(client, this.schema);
        } catch (err) {
          broken ||= isTransientPostgresError(err);
          throw asConnectionError(err);
        } finally {
          (client as unknown as NodeJS.EventEmitter).removeListener('error', onError);
          client.release(broken);
        }
      })();
      this.#ready = attempt;
      attempt.catch(() => {
        if (this.#ready === attempt) this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  override async getListenClient(): Promise<PgListenClient> {
    const wait = this.#nextListenAttempt - Date.now();
    if (wait > 0) await sleep(wait);
    try {
      const client = await super.getListenClient();
      // Every waiting worker of the kit adds a 'notification' listener to this one client.
      (client as unknown as { setMaxListeners?: (n: number) => void }).setMaxListeners?.(0);
      this.#listenFailures = 0;
      return client;
    } catch (err) {
      this.#listenFailures++;
      this.#nextListenAttempt = Date.now() + Math.min(100 * 2 ** this.#listenFailures, 2_000);
      if (isTransientPostgresError(err)) this.#transient(err as Error);
      throw asConnectionError(err);
    }
  }

  #transient(err: Error): void {
    this.#failing = true;
    const now = Date.now();
    if (now - this.#lastLog < 10_000) {
      this.#suppressed++;
      return;
    }
    const more = this.#suppressed ? ` (${this.#suppressed} more since the last line)` : '';
    this.#lastLog = now;
    this.#suppressed = 0;
    const code = (err as { code?: unknown }).code;
    this.#log(`[whetstone] queue database (${this.label}): ${err.message}${typeof code === 'string' ? ` [${code}]` : ''}; retrying${more}`);
  }

  #recovered(): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#lastLog = 0;
    this.#suppressed = 0;
    this.#log(`[whetstone] queue database (${this.label}): connections accepted again`);
  }
}

/**
 * A queue or worker backend on the kit's shared connection. It does not own the connection (the
 * kit closes it), so it does its own share of what BullMQ's owning backend does: re-LISTEN after
 * the shared LISTEN connection was rebuilt, and stop waiting on close.
 */
class SharedConnectionBackend extends PostgresQueueBackend {
  #blockingDisconnected = false;
  readonly #onListenerInvalidated = () => {
    if (this.closing) return;
    // Forces a fresh LISTEN on the next wait, and ends the wait parked on the dead client.
    if (!this.#blockingDisconnected) void this.reconnectBlocking();
    void this.disconnect();
  };

  constructor(connection: SharedPostgresConnection, name: string, opts: QueueBaseOpts) {
    super(connection, name, opts, false);
    connection.on('listenerinvalidated', this.#onListenerInvalidated);
  }

  /** The shared connection's readiness, asked again on each call (BullMQ's backend memoizes a failure). */
  override waitUntilReady(): Promise<void> {
    return this.connection.waitUntilReady();
  }

  /**
   * BullMQ allows an idle Postgres worker to block for up to an hour when the LISTEN connection
   * has keepalive. A wake-up missed while the database refused connections (the "is a job
   * waiting?" probe failed) would then leave queued jobs untouched for that long; 10 s, as on Redis.
   */
  override get maximumBlockTimeout(): number {
    return Math.min(super.maximumBlockTimeout, 10);
  }

  override async disconnectBlocking(wait?: boolean): Promise<void> {
    this.#blockingDisconnected = true;
    await super.disconnectBlocking(wait);
  }

  override async reconnectBlocking(): Promise<void> {
    this.#blockingDisconnected = false;
    await super.reconnectBlocking();
  }

  override close(): Promise<void> {
    this.closing ??= (async () => {
      this.connection.off('listenerinvalidated', this.#onListenerInvalidated);
      await this.disconnect(); // ends an in-flight wait; the shared connection stays open
    })();
    return this.closing;
  }
}

/** BullMQ backend factory putting every queue and worker on `connection`. */
export function sharedPostgresBackend(
  connection: SharedPostgresConnection,
): BackendFactory<PostgresQueueBackend, PostgresConnectionOptions> {
  return (name, opts) => new SharedConnectionBackend(connection, name, opts);
}
