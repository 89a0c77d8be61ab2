import type { Migration } from 'kysely/migration';
import * as m0001 from './0001-core.ts';
import * as m0002services from './0002-services.ts';
import * as m0003 from './0003-check-in.ts';
import * as m0004 from './0004-extension-withdrawn.ts';
import * as m0005 from './0005-import-api.ts';
import * as m0006 from './0006-read-performance.ts';
import * as m0007 from './0007-page-cache.ts';
import * as m0008 from './0008-change-notices.ts';
import * as m0009 from './0009-control-dates.ts';
import * as m0011 from './0011-accounts-sso.ts';
import * as m0012feedback from './0012-citizen-feedback.ts';
import * as m0012 from './0012-reference-admin.ts';
import * as m0013 from './0013-people.ts';
import * as m0014 from './0014-ui.ts';
import * as m0015 from './0015-aggregates.ts';
import * as m0016 from './0016-feedback-rematch.ts';
import * as m0017 from './0017-scoped-versions.ts';
import * as m0018 from './0018-feedback-fold.ts';

// Static list rather than FileMigrationProvider: works the same under tsx, vitest and any bundler,
// and keeps the order explicit. Append only; never edit a migration that has shipped.
export const migrations: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-services': m0002services,
  '0003-checkin': m0003,
  '0004-extension-withdrawn': m0004,
  '0005-import-api': m0005,
  '0006-read-performance': m0006,
  '0007-page-cache': m0007,
  '0008-change-notices': m0008,
  '0009-control-dates': m0009,
  '0011-accounts-sso': m0011,
  '0012-citizen-feedback': m0012feedback,
  '0012-reference-admin': m0012,
  '0013-people': m0013,
  '0014-ui': m0014,
  '0015-aggregates': m0015,
  '0016-feedback-rematch': m0016,
  '0017-scoped-versions': m0017,
  '0018-feedback-fold': m0018,
};
