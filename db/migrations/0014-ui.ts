import { sql, type Kysely } from 'kysely';

// Issue 14 (UI craft): an English short name per agency, saved list views per person, and each person's
// choice of immediate emails or one daily digest.
//
// Numbered 0014: 0012 and 0013 are taken by other branches (reference data, citizen feedback, people).
const UP = [
  // "МТиСР" has no English counterpart in the data yet: the seed and the admin give one ("MLSD").
  `alter table agency add column if not exists short_en text check (length(short_en) between 1 and 60)`,

  // A person's job title in English (curators are named on service pages); the Russian one stays
  // app_user.position.
  `alter table app_user add column position_en text check (length(position_en) <= 300)`,

  // A named set of filters and sort of one list (its query string, checked again when applied).
  `create table saved_view (
    id serial primary key,
    user_id int not null references app_user(id) on delete cascade,
    list text not null check (list in ('items')),
    name text not null check (length(name) between 1 and 80),
    query text not null check (length(query) <= 1000),
    created_at timestamptz not null default now(),
    unique (user_id, list, name)
  )`,
  `create constraint trigger saved_view_read_version after insert or update or delete on saved_view
    deferrable initially deferred for each row execute function bump_read_version()`,

  // A report the agency took back before review (withdrawSubmission) stays on record as withdrawn.
  `alter table submission drop constraint if exists submission_outcome_check`,
  `alter table submission add constraint submission_outcome_check
    check (outcome in ('accepted','returned','withdrawn'))`,

  // 'digest': no email per notice; one email a day lists what arrived (app/notifications digest).
  `alter table app_user add column notify_mode text not null default 'immediate'
    check (notify_mode in ('immediate','digest'))`,
  // The digest email a notice went out in (instead of its own email).
  `alter table notification add column digest_id int references notification(id)`,
  // The daily digest's scan: unsent email notices of digest readers.
  `create index notification_undigested on notification(recipient_user_id, id)
    where sent_at is null and digest_id is null and recipient_email is not null`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'drop index if exists notification_undigested',
    'alter table notification drop column if exists digest_id',
    'alter table app_user drop column if exists notify_mode',
    'drop table if exists saved_view',
    'alter table app_user drop column if exists position_en',
    'alter table agency drop column if exists short_en',
    `update submission set outcome = null where outcome = 'withdrawn'`,
    'alter table submission drop constraint if exists submission_outcome_check',
    `alter table submission add constraint submission_outcome_check check (outcome in ('accepted','returned'))`,
  ])
    await sql.raw(s).execute(db);
}
