import { describe, expect, it } from 'vitest';
import { StartupError } from '../../domain/startup-error.ts';
import { loadConfig } from './config.ts';

describe('the change feed connection (DATABASE_LISTEN_URL)', () => {
  const db = 'postgres://shtab:pw@pgbouncer:6432/shtab';

  it('listens on the database URL unless told otherwise', () => {
    expect(loadConfig({ DATABASE_URL: db }).listenUrl).toBe(db);
    expect(loadConfig({}).listenUrl).toBeUndefined();
  });

  it('takes a direct URL for LISTEN behind a pooling proxy, or off', () => {
    const direct = 'postgres://shtab:pw@postgres:5432/shtab';
    expect(loadConfig({ DATABASE_URL: db, DATABASE_LISTEN_URL: direct }).listenUrl).toBe(direct);
    expect(loadConfig({ DATABASE_URL: db, DATABASE_LISTEN_URL: 'off' }).listenUrl).toBeUndefined();
  });

  it('refuses anything else, naming the variable', () => {
    const bad = () => loadConfig({ DATABASE_URL: db, DATABASE_LISTEN_URL: 'mysql://x' });
    expect(bad).toThrow(StartupError);
    expect(bad).toThrow(/DATABASE_LISTEN_URL/);
  });
});
