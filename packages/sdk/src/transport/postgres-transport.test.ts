import { ConnectionClosedError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { isTransientPostgresError } from './postgres-transport.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('isTransientPostgresError', () => {
  it('knows refused, dropped and not-yet-possible connections', () => {
    expect(isTransientPostgresError(pgError('53300', 'sorry, too many clients already'))).toBe(true);
    expect(isTransientPostgresError(pgError('53300', 'too many connections for role "w"'))).toBe(true);
    expect(isTransientPostgresError(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isTransientPostgresError(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isTransientPostgresError(pgError('08006', 'connection failure'))).toBe(true);
    expect(isTransientPostgresError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe(true);
    expect(isTransientPostgresError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientPostgresError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransientPostgresError(new ConnectionClosedError('Connection is closed.'))).toBe(true);
  });

  it('leaves errors of the command itself alone', () => {
    expect(isTransientPostgresError(pgError('BM001', 'Missing lock for job 1'))).toBe(false);
    expect(isTransientPostgresError(pgError('42P01', 'relation "job" does not exist'))).toBe(false);
    expect(isTransientPostgresError(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isTransientPostgresError(new Error('boom'))).toBe(false);
  });
});
