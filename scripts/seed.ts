// Seeds the demo data into an empty database (DATABASE_URL or embedded) and exits. Workflows start when a
// worker (or `npm start`) runs: it reconciles open items.
import { instantToLocalDate } from '../domain/local-date.ts';
import { StartupError } from '../domain/startup-error.ts';
import { utcOffsetMinutesOf } from '../domain/time-zone.ts';
import { isSeeded, seedDemo } from '../db/seed/index.ts';
import { hashPassword } from '../web/index.ts';
import { loadConfig } from './lib/config.ts';
import { createLogger } from './lib/log.ts';
import { exitOnStartupError, openDatabase } from './lib/runtime.ts';

async function main() {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger(config.logLevel, 'shtab-seed'));
  try {
    if (await isSeeded(database.db)) {
      throw new StartupError(
        'the database already has data; the demo is only seeded into an empty one',
        'use a fresh database',
      );
    }
    const offset = utcOffsetMinutesOf(config.timeZone);
    const password = process.env.DEMO_PASSWORD || 'demo';
    const s = await seedDemo(database.db, {
      today: instantToLocalDate(Date.now(), offset),
      password,
      passwordHash: await hashPassword(password),
      utcOffsetMinutes: offset,
    });
    console.log(
      `seeded: ${s.items} measures, ${s.services} services, ${s.users} users (password "${password}")`,
    );
  } finally {
    await database.close();
  }
}
main().catch(exitOnStartupError);
