import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordAuditEvent } from '../../db/events.ts';
import type { Db } from '../../db/index.ts';
import type { DB } from '../../db/schema/index.ts';
import { forbidden, type FieldIssue } from '../../domain/errors.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';

// What the reference-data use cases share: who may change what, the result of a checked change, and the
// audit event each change writes (who, when, the record before and after).

export type Trx = Transaction<DB>;
export type Outcome<T = { id: number }> = ({ ok: true } & T) | { ok: false; problems: FieldIssue[] };

export interface ReferenceDeps {
  db: Db;
}

/** Agencies, people, the calendar and bulk onboarding: the administrator's. */
export function requireAdmin(actor: Actor) {
  if (actor.role !== 'admin')
    throw forbidden('error.forbidden.adminOnly', 'only an administrator may change this');
}

/** The programme's own data (life situations, roadmaps, curators, committees): the project office's. */
export function requireProjectOffice(actor: Actor) {
  if (!isProjectOffice(actor.role))
    throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group may change this');
}

/** The subject of an audit event: what kind of record and which one (the audit page links it). */
export interface Subject {
  kind: 'agency' | 'person' | 'life_situation' | 'roadmap' | 'service' | 'committee' | 'calendar' | 'import';
  id: number | string;
  /** A name that reads after the record changes (the code, the login, the year). */
  label: string;
}

export async function audit(
  trx: Trx,
  actor: Actor,
  type: string,
  subject: Subject,
  change: { before?: unknown; after?: unknown; data?: Record<string, unknown> } = {},
) {
  await recordAuditEvent(trx, {
    key: `${type}:${randomUUID()}`,
    type,
    actorUserId: actor.userId || null,
    ...(change.before === undefined ? {} : { before: change.before }),
    ...(change.after === undefined ? {} : { after: change.after }),
    data: { subject: subject.kind, subjectId: subject.id, label: subject.label, ...(change.data ?? {}) },
  });
}

/** Fields whose value differs between two snapshots (the audit page shows only these). */
export function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null));
}
