import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, SchemaContainer } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { createDatabase, databaseUrl, dropDatabase } from './pg-admin';

// Prisma's schema engine compiled to wasm (npm: @prisma/schema-engine-wasm), driven
// through a migration-aware driver adapter. The Prisma CLI's own engine is a native
// binary it downloads at run time, which is impossible offline (see STACK-NOTES).

export type { SchemaEngine, SchemaContainer };

let loaded = false;

/** Instantiates the wasm module once per process. Its package entry point imports the
 *  `.wasm` file as an ES module, which Node 20 cannot do, so we wire it up by hand. */
function loadWasm(): void {
  if (loaded) return;
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const module = new WebAssembly.Module(readFileSync(join(dirname(gluePath), 'schema_engine_bg.wasm')));
  // The engine arms timers it never clears (e.g. a 10 s advisory-lock timeout) and imports no
  // clearTimeout, which kept every CLI run alive ~10 s after its work. Unref'd timers still fire
  // while the process is alive (an engine call always has a live pg socket), they just don't hold it.
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue).filter((n) => n.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  loaded = true;
}

/** A pg pool for the engine. Its results report `char` (oid 18) columns as `text` (oid 25):
 *  the engine's schema describer reads pg_catalog `char` columns, which adapter-pg cannot map. */
function enginePool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {}); // connections killed by DROP DATABASE ... WITH (FORCE) are expected
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  const patched = async (config: pg.QueryConfig): Promise<pg.QueryResult> => {
    const result = await query(config);
    for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  Object.assign(pool, { query: patched });
  return pool;
}

/** The adapter factory handed to the engine. A shadow database (needed to replay the
 *  migration history) is a throwaway database on `shadowServerUrl`, dropped by `close()`. */
class EngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  private readonly pools: pg.Pool[] = [];
  private readonly shadowDatabases: string[] = [];

  constructor(
    private readonly url: string,
    private readonly shadowServerUrl: string | undefined,
  ) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(this.url);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (!this.shadowServerUrl) throw new Error('This operation needs a shadow database server');
    const name = `whetstone_shadow_${randomBytes(6).toString('hex')}`;
    await createDatabase(this.shadowServerUrl, name);
    this.shadowDatabases.push(name);
    return this.adapterFor(databaseUrl(this.shadowServerUrl, name));
  }

  private adapterFor(url: string): Promise<SqlDriverAdapter> {
    const pool = enginePool(url);
    this.pools.push(pool);
    return new PrismaPg(pool).connect();
  }

  async close(): Promise<void> {
    const shadowServerUrl = this.shadowServerUrl;
    if (shadowServerUrl) {
      await Promise.all(this.shadowDatabases.map((name) => dropDatabase(shadowServerUrl, name)));
    }
    await Promise.all(this.pools.map((pool) => pool.end().catch(() => {})));
  }
}

export interface OpenedEngine {
  engine: SchemaEngine;
  /** Frees the engine, drops shadow databases and ends every pool (else the process lingers). */
  close(): Promise<void>;
}

export async function openSchemaEngine(opts: {
  /** Database the engine works on. */
  url: string;
  /** Server on which shadow databases may be created (diffs from the migration history). */
  shadowServerUrl?: string;
  /** Prisma schema files, for operations that read the datamodel. */
  datamodels?: SchemaContainer[];
  log?: (line: string) => void;
}): Promise<OpenedEngine> {
  loadWasm();
  const factory = new EngineAdapterFactory(opts.url, opts.shadowServerUrl);
  const log = opts.log ?? (() => {});
  try {
    const engine = await glue.SchemaEngine.new(
      { datamodels: opts.datamodels?.map((f): [string, string] => [f.path, f.content]) },
      (line: string) => log(line),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    return {
      engine,
      async close() {
        engine.free();
        await factory.close();
      },
    };
  } catch (error) {
    await factory.close();
    throw error;
  }
}

/** Engine errors carry a span trace after the message ("   0: schema_engine_wasm::…"); keep the message. */
export function engineErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n');
  const traceStart = lines.findIndex((line) => /^\s+\d+: \S+::/.test(line));
  return (traceStart === -1 ? lines : lines.slice(0, traceStart)).join('\n').trim();
}
