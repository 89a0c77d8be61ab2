import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { notFound, validation } from '../../domain/errors.ts';
import type { Actor } from '../../domain/roles.ts';
import type { ColumnSpec } from '../services/columns.ts';
import { audit, requireProjectOffice, type Trx } from './shared.ts';
import { duplicates, readRows, sortIssues, type FileOutcome, type ImportIssue } from './table-import.ts';

// A service's curator («куратор услуги»): the person who answers citizens' remarks about it and fixes what
// they report. Set one by one on the curators page or the API, or in bulk from a CSV/XLSX file (code of
// the service → login of the curator), checked whole. Every change is audited.

type Q = Db | Trx;

/** Who may curate: an active account that is not an observer. */
const curatorOf = (q: Q, ids: number[]) =>
  ids.length
    ? q
        .selectFrom('app_user')
        .select(['id', 'login', 'display_name'])
        .where('id', 'in', ids)
        .where('disabled', '=', false)
        .where('role', '<>', 'observer')
        .execute()
    : Promise.resolve([]);

async function writeCurator(
  trx: Trx,
  actor: Actor,
  s: { id: number; code: string; curator_user_id: number | null },
  userId: number | null,
  logins: Map<number, string>,
  via?: string,
) {
  if (s.curator_user_id === userId) return false;
  await trx.updateTable('service').set({ curator_user_id: userId }).where('id', '=', s.id).execute();
  const login = (id: number | null) => (id === null ? null : (logins.get(id) ?? String(id)));
  await audit(
    trx,
    actor,
    'service.curator.changed',
    { kind: 'service', id: s.id, label: s.code },
    {
      before: { curator: login(s.curator_user_id) },
      after: { curator: login(userId) },
      ...(via ? { data: { via } } : {}),
    },
  );
  return true;
}

async function loginsOf(q: Q, ids: (number | null)[]) {
  const xs = [...new Set(ids.filter((x): x is number => x !== null))];
  const rows = xs.length
    ? await q.selectFrom('app_user').select(['id', 'login']).where('id', 'in', xs).execute()
    : [];
  return new Map(rows.map((r) => [r.id, r.login]));
}

/** Sets (or clears, with null) one service's curator. */
export async function setCurator(db: Db, actor: Actor, serviceId: number, userId: number | null) {
  requireProjectOffice(actor);
  await db.transaction().execute(async (trx) => {
    const s = await trx
      .selectFrom('service')
      .select(['id', 'code', 'curator_user_id'])
      .where('id', '=', serviceId)
      .forUpdate()
      .executeTakeFirst();
    if (!s) throw notFound('error.service.notFound', `service ${serviceId} not found`);
    if (userId !== null && (await curatorOf(trx, [userId])).length === 0)
      throw validation(
        'curatorUserId',
        'error.curator.notEligible',
        `no active person ${userId} may curate`,
        {
          login: String(userId),
        },
      );
    await writeCurator(trx, actor, s, userId, await loginsOf(trx, [s.curator_user_id, userId]));
  });
}

/** Sets one service's curator by login (the page's form); an empty login clears it. */
export async function setCuratorByLogin(db: Db, actor: Actor, serviceId: number, login: string) {
  requireProjectOffice(actor);
  const l = login.trim();
  if (l === '') return setCurator(db, actor, serviceId, null);
  const u = await db
    .selectFrom('app_user')
    .select(['id', 'login'])
    .where(sql<boolean>`lower(login) = lower(${l})`)
    .executeTakeFirst();
  if (!u)
    throw validation('curatorLogin', 'error.curator.unknownLogin', `no person ${l}`, {
      login: l.slice(0, 64),
    });
  return setCurator(db, actor, serviceId, u.id);
}

type CuratorColumn = 'code' | 'curator' | 'title' | 'name';
export const CURATOR_COLUMNS: ColumnSpec<CuratorColumn>[] = [
  { key: 'code', aliases: ['Код услуги', 'code', 'service code', 'код'], required: true },
  {
    key: 'curator',
    aliases: ['Куратор', 'Логин куратора', 'curator', 'curator login', 'login'],
    required: true,
  },
  // Read by people, ignored here.
  { key: 'title', aliases: ['Наименование услуги', 'Услуга', 'service', 'title'], required: false },
  { key: 'name', aliases: ['ФИО куратора', 'ФИО', 'curator name', 'name'], required: false },
];

/**
 * Curators from a file: each row names a service by code and its curator by login («—» or «-» clears it).
 * Unknown services or logins, people who may not curate and a service named twice are row errors; any
 * error → nothing is written.
 */
export async function importCurators(
  db: Db,
  actor: Actor,
  file: { bytes: Uint8Array; filename: string },
): Promise<FileOutcome<{ rows: number; changed: number; unchanged: number }>> {
  requireProjectOffice(actor);
  const read = await readRows(file, CURATOR_COLUMNS);
  if (!read.ok) return read;
  const { rows, column, map } = read;
  const errors: ImportIssue[] = [];
  const clear = (v: string) => v === '—' || v === '-';
  for (const r of rows) {
    if (!r.cells.code) errors.push({ row: r.row, column: column('code'), key: 'error.svc.import.required' });
    if (!r.cells.curator)
      errors.push({ row: r.row, column: column('curator'), key: 'error.svc.import.required' });
  }
  errors.push(
    ...duplicates(
      rows.filter((r) => r.cells.code).map((r) => ({ row: r.row, item: r.cells.code })),
      (c) => c.toLowerCase(),
      (row, first, code) => ({
        row,
        column: column('code'),
        key: 'error.curator.duplicate',
        params: { code, first },
      }),
    ),
  );
  const codes = [...new Set(rows.map((r) => r.cells.code.toLowerCase()).filter(Boolean))];
  const logins = [...new Set(rows.map((r) => r.cells.curator.toLowerCase()).filter((l) => l && !clear(l)))];
  const [services, people] = await Promise.all([
    codes.length
      ? db
          .selectFrom('service')
          .select(['id', 'code', 'curator_user_id'])
          .where(sql<string>`lower(code)`, 'in', codes)
          .execute()
      : [],
    logins.length
      ? db
          .selectFrom('app_user')
          .select(['id', 'login', 'role', 'disabled'])
          .where(sql<string>`lower(login)`, 'in', logins)
          .execute()
      : [],
  ]);
  const serviceOf = new Map(services.map((s) => [s.code.toLowerCase(), s]));
  const personOf = new Map(people.map((p) => [p.login.toLowerCase(), p]));
  const plan: { service: (typeof services)[number]; userId: number | null }[] = [];
  for (const r of rows) {
    if (!r.cells.code || !r.cells.curator) continue;
    const s = serviceOf.get(r.cells.code.toLowerCase());
    if (!s) {
      errors.push({
        row: r.row,
        column: column('code'),
        key: 'error.svc.import.unknownService',
        params: { code: r.cells.code },
      });
      continue;
    }
    if (clear(r.cells.curator)) {
      plan.push({ service: s, userId: null });
      continue;
    }
    const p = personOf.get(r.cells.curator.toLowerCase());
    if (!p)
      errors.push({
        row: r.row,
        column: column('curator'),
        key: 'error.curator.unknownLogin',
        params: { login: r.cells.curator },
      });
    else if (p.disabled || p.role === 'observer')
      errors.push({
        row: r.row,
        column: column('curator'),
        key: 'error.curator.notEligible',
        params: { login: p.login },
      });
    else plan.push({ service: s, userId: p.id });
  }
  if (errors.length) return { ok: false, errors: sortIssues(map.header, errors) };
  return db.transaction().execute(async (trx) => {
    const names = await loginsOf(trx, [
      ...plan.map((x) => x.userId),
      ...plan.map((x) => x.service.curator_user_id),
    ]);
    let changed = 0;
    for (const x of plan) {
      // Read again under a row lock: the page may have changed a curator since the check.
      const s = await trx
        .selectFrom('service')
        .select(['id', 'code', 'curator_user_id'])
        .where('id', '=', x.service.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (await writeCurator(trx, actor, s, x.userId, names, 'import')) changed++;
    }
    await audit(
      trx,
      actor,
      'curators.imported',
      { kind: 'import', id: file.filename.slice(0, 200), label: file.filename.slice(0, 200) },
      { data: { rows: rows.length, changed } },
    );
    return { ok: true as const, rows: rows.length, changed, unchanged: rows.length - changed };
  });
}
