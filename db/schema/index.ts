import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AccountTables } from './accounts.ts';
import type { AggregateTables } from './aggregates.ts';
import type { CheckInTables } from './check-in.ts';
import type { CoreTables } from './core.ts';
import type { FeedbackTables } from './feedback.ts';
import type { PeopleTables } from './people.ts';
import type { ImportApiTables } from './import-api.ts';
import type { ReadPerformanceTables } from './read-performance.ts';
import type { ReferenceAdminTables } from './reference-admin.ts';
import type { ServiceTables } from './services.ts';
import type { UiTables } from './ui.ts';

export * from './core.ts';
export * from './import-api.ts';
export * from './services.ts';
export * from './check-in.ts';
export * from './read-performance.ts';
export * from './accounts.ts';
export * from './feedback.ts';
export * from './reference-admin.ts';
export * from './people.ts';
export * from './ui.ts';
export * from './aggregates.ts';

/**
 * The database as Kysely sees it: one interface per feature's migrations, joined here (one line each).
 * test/db/schema-drift.test.ts keeps these types and the migrated database in step.
 */
export interface DB
  extends
    CoreTables,
    ServiceTables,
    CheckInTables,
    ImportApiTables,
    ReadPerformanceTables,
    AccountTables,
    FeedbackTables,
    ReferenceAdminTables,
    PeopleTables,
    UiTables,
    AggregateTables {}

export type ControlItemRow = Selectable<CoreTables['control_item']>;
export type NewControlItem = Insertable<CoreTables['control_item']>;
export type ControlItemUpdate = Updateable<CoreTables['control_item']>;
export type UserRow = Selectable<CoreTables['app_user']>;
export type AgencyRow = Selectable<CoreTables['agency']>;
export type NotificationRow = Selectable<CoreTables['notification']>;
