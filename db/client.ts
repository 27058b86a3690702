import type { Socket } from "node:net";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

/**
 * `connection` sets server parameters on every connection (lock_timeout, ...). `prepare` makes
 * every drizzle query a prepared statement of its connection (see `preparing`). `driver` passes
 * postgres.js's hooks on (tests count statements and round trips with them, or read notices).
 */
export function createDb(
  url: string,
  options: {
    max?: number;
    connection?: Record<string, string | number>;
    prepare?: boolean;
    driver?: {
      debug?: postgres.Options<Record<string, postgres.PostgresType>>["debug"];
      socket?: () => Promise<Socket>;
      onnotice?: postgres.Options<Record<string, postgres.PostgresType>>["onnotice"];
    };
  } = {},
) {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: options.connection, ...options.driver });
  if (options.prepare) preparingHandles.add(sql);
  return { sql, db: drizzle(options.prepare ? preparing(sql) : sql) };
}

/** Pools made with `prepare`, and the transactions and savepoints opened on them. */
const preparingHandles = new WeakSet<object>();

/**
 * drizzle asks postgres.js for an unnamed statement unless a query is built with `.prepare()`, and
 * postgres.js sends an unnamed statement with parameters in two round trips: describe (to learn
 * the parameters' types), then execute. Prepared, the description is kept per connection and each
 * later run of the same SQL text is one round trip. postgres.js retries a statement that a schema
 * change invalidated, and connections are replaced within an hour, which bounds what they keep.
 */
function preparing(sql: postgres.Sql): postgres.Sql {
  const unsafe: postgres.Sql["unsafe"] = (query, parameters, queryOptions) =>
    sql.unsafe(query, parameters, { ...queryOptions, prepare: true });
  return new Proxy(sql, { get: (target, key) => (key === "unsafe" ? unsafe : Reflect.get(target, key)) });
}

export type Database = ReturnType<typeof createDb>["db"];
/** A database handle or an open transaction: services accept either. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Sql = ReturnType<typeof createDb>["sql"];
/** postgres.js inside a transaction, for bulk `sql(rows)` inserts next to drizzle queries. */
export type TxSql = postgres.TransactionSql;

/**
 * Note: drizzle takes over JSON (de)serialisation on the pool, so raw queries pass JSON as text.
 * Runs `fn` in one transaction with both handles: drizzle for ordinary queries and postgres.js
 * for bulk multi-row inserts (about 4-5x faster than drizzle for 1,000 rows).
 */
export function withTransaction<T>(sql: Sql, fn: (tx: { db: Database; sql: TxSql }) => Promise<T>): Promise<T> {
  return sql.begin((txSql) => fn(bind(txSql, sql, sql.options))) as Promise<T>;
}

/** The same pair inside a savepoint: a failure rolls back to it and the transaction goes on. */
export function withSavepoint<T>(tx: { sql: TxSql }, fn: (sp: { db: Database; sql: TxSql }) => Promise<T>): Promise<T> {
  return tx.sql.savepoint((spSql) => fn(bind(spSql, tx.sql, (tx.sql as unknown as Sql).options))) as Promise<T>;
}

/**
 * Sends statements of one transaction back to back, without waiting for each one's answer before
 * sending the next: PostgreSQL still runs them one after another in this order (each sees what the
 * ones before it wrote or waited for), and the caller waits once instead of once per statement. On
 * a busy machine each wait is a wake-up of this process, which may have to wait for a CPU. The
 * statements are queries not yet started, drizzle's or postgres.js's (they start here, in order; a
 * query already awaited elsewhere would go out later than the ones after it), or null for none. A
 * failure rejects with its own error, and the statements after it fail with the transaction.
 */
export function pipelined<T extends unknown[]>(
  ...statements: { [K in keyof T]: PromiseLike<T[K]> | null }
): Promise<{ [K in keyof T]: T[K] | undefined }> {
  return Promise.all(
    statements.map((statement) => statement && new Promise((resolve, reject) => statement.then(resolve, reject))),
  ) as never;
}

/** A transaction's or savepoint's handles, preparing their queries when `parent` does. */
function bind(scoped: TxSql, parent: object, options: Sql["options"]) {
  // drizzle reads the driver's type options from the client; transaction handles lack them.
  Object.assign(scoped, { options });
  const prepare = preparingHandles.has(parent);
  if (prepare) preparingHandles.add(scoped);
  return { db: drizzle((prepare ? preparing(scoped as unknown as Sql) : scoped) as unknown as Sql), sql: scoped };
}
