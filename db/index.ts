export { connect, redactUrl, sqlToday, type Database, type Db, type ConnectOptions } from './connect.ts';
export { migrateToLatest } from './migrate.ts';
export { startChangeFeed, type ChangeFeed } from './change-feed.ts';
export type * from './schema/index.ts';
