import { type DataSource, type EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError, type QueryRunner } from 'typeorm';

/** One SQL statement with its `?` parameters. */
export type Statement = readonly [sql: string, params?: readonly unknown[]];

/**
 * A READ COMMITTED transaction whose statements travel to MariaDB in batches, one round trip
 * each, when the pool was opened with `multipleStatements` (every value still goes through the
 * driver's escaping, statements are only joined); otherwise one statement at a time, same
 * results. A round trip costs far more than a statement (a socket write and a wake-up on each
 * side), so core-api's booking path sends its transaction as two: begin + locks + reads, then
 * writes + COMMIT; the outbox relay claims and marks its rows the same way.
 *
 * The server runs a batch's statements in order and stops at the first error, which rejects
 * the batch; the transaction is then rolled back and the error passed on, as with one
 * statement at a time.
 */
export class BatchedTransaction {
  private begun = false;
  private committed = false;

  constructor(
    private readonly runner: QueryRunner,
    private readonly multipleStatements: boolean,
  ) {}

  /** For the odd statement that must go on its own (same connection, same transaction). */
  get manager(): EntityManager {
    return this.runner.manager;
  }

  /** Runs the statements (beginning the transaction first, in the same round trip); one result per statement. */
  async run(...statements: Statement[]): Promise<unknown[]> {
    return this.send(statements, false);
  }

  /** Runs the last statements and COMMIT in one round trip; one result per statement given. */
  async commit(...statements: Statement[]): Promise<unknown[]> {
    const results = await this.send(statements, true);
    this.committed = true;
    return results;
  }

  /** @internal */
  async finish(failed: boolean): Promise<void> {
    if (this.begun && (failed || !this.committed)) await this.runner.query('ROLLBACK').catch(() => undefined);
    if (!failed && !this.committed) throw new Error('a batched transaction ended without commit()');
  }

  private async send(statements: Statement[], commit: boolean): Promise<unknown[]> {
    if (this.committed) throw new Error('the batched transaction has already committed');
    const begin: Statement[] = this.begun ? [] : [['SET TRANSACTION ISOLATION LEVEL READ COMMITTED'], ['START TRANSACTION']];
    const all = [...begin, ...statements, ...(commit ? [['COMMIT'] as Statement] : [])];
    this.begun = true;
    let results: unknown[];
    if (this.multipleStatements) {
      const raw: unknown = await this.query(all.map(([text]) => text).join(';\n'), all.flatMap(([, p]) => p ?? []));
      // mysql2 answers a single statement with its result, several with one result each.
      results = all.length === 1 ? [raw] : (raw as unknown[]);
    } else {
      results = [];
      for (const [text, p] of all) results.push(await this.query(text, p as unknown[] | undefined));
    }
    return results.slice(begin.length, begin.length + statements.length);
  }

  /**
   * `QueryRunner.query` without its per-call wrapping (a promise facade made for every call, the
   * subscribers' broadcasts awaited before and after, the rows copied into a QueryResult), which
   * cost a booking more CPU than the statements' own parsing: straight to the runner's driver
   * connection, with TypeORM's query logging and its `QueryFailedError` kept, so callers see the
   * same results and errors. Our data sources have no subscribers and no query timeout option.
   */
  private async query(sql: string, params: unknown[] | undefined): Promise<unknown> {
    // A released runner still holds its connection, now back in the pool for someone else.
    if (this.runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    const connection = (await this.runner.connect()) as DriverConnection;
    const logger = this.runner.connection.logger;
    logger.logQuery(sql, params, this.runner);
    return new Promise((resolve, reject) => {
      connection.query(sql, params, (err, result) => {
        if (!err) return resolve(result);
        logger.logQueryError(err, sql, params, this.runner);
        reject(new QueryFailedError(sql, params, err));
      });
    });
  }
}

/** The callback API of the mysql2 connection a TypeORM MySQL query runner holds. */
interface DriverConnection {
  query(sql: string, params: unknown[] | undefined, callback: (err: Error | null, result: unknown) => void): void;
}

/** Runs `work` in a batched transaction on a connection of its own; rolls back unless `work` committed. */
export async function batchedTransaction<T>(dataSource: DataSource, work: (tx: BatchedTransaction) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  const tx = new BatchedTransaction(runner, (dataSource.options as { multipleStatements?: boolean }).multipleStatements === true);
  try {
    const result = await work(tx);
    await tx.finish(false);
    return result;
  } catch (err) {
    await tx.finish(true);
    throw err;
  } finally {
    await runner.release();
  }
}
