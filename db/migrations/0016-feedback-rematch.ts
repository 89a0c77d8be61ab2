import { sql, type Kysely } from 'kysely';

// Issue 16 item 4, re-matching: an edit of the taxonomy of what worries citizens (a topic's rules, or a
// topic switched on or off) gives the taxonomy a new version; the `feedbackRematch` workflow matches every
// review on record again with the rules in force and moves the topic tallies by the difference
// (app/feedback/rematch.ts). One row per version: who asked, and the run's progress for the topics page.
//
// Numbered 0015: 0014 is the last one on the branch this grew from.
const UP = [
  `create table feedback_rematch (
    version int primary key check (version > 0),
    requested_by int references app_user(id),
    requested_at timestamptz not null default now(),
    started_at timestamptz,
    -- Reviews with ids up to this one are matched with the rules of this version (or a later one).
    last_id int not null default 0,
    -- The highest review id when the batch last looked (the run ends past it).
    max_id int,
    scanned int not null default 0,
    changed int not null default 0,
    finished_at timestamptz,
    -- A newer version arrived while this one ran: the run restarted from the first review with it.
    superseded boolean not null default false
  )`,
  // Pages show the run's progress and the tallies it moves: each batch's progress write bumps the version.
  `create constraint trigger feedback_rematch_read_version after insert or update or delete
    on feedback_rematch deferrable initially deferred for each row execute function bump_read_version()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const stmt of UP) await sql.raw(stmt).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists feedback_rematch`.execute(db);
}
