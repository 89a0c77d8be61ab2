import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { agencyMatcher } from '../../domain/imports/references.ts';
import {
  agencyProblems,
  parseAgencyKind,
  parseAuthSource,
  parseRole,
  personProblems,
  splitLines,
  type AgencyInput,
  type PersonInput,
} from '../../domain/reference/index.ts';
import type { Actor } from '../../domain/roles.ts';
import type { ColumnSpec } from '../services/columns.ts';
import { agencyConflicts, insertAgency, rewriteAgency, tidyAgency } from './agencies.ts';
import { insertPerson, rewritePerson, tidyPerson } from './people.ts';
import { audit, requireAdmin } from './shared.ts';
import { duplicates, readRows, sortIssues, type FileOutcome, type ImportIssue } from './table-import.ts';

// Onboarding in bulk: a region's agencies and people from CSV/XLSX, the same contract as the roadmap
// import — the whole file is checked (every problem with its row and column) and nothing is written on
// any problem; otherwise one transaction. Importing again updates by code (agencies) and login (people):
// changed rows are rewritten and audited, unchanged ones left alone.

export interface OnboardingResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

type AgencyColumn = 'code' | 'titleRu' | 'shortRu' | 'titleEn' | 'kind' | 'aliases';
export const AGENCY_COLUMNS: ColumnSpec<AgencyColumn>[] = [
  { key: 'code', aliases: ['Код', 'Код ведомства', 'code'], required: true },
  {
    key: 'titleRu',
    aliases: ['Наименование', 'Полное наименование', 'Наименование ведомства', 'title', 'name'],
    required: true,
  },
  { key: 'shortRu', aliases: ['Краткое наименование', 'Сокращение', 'short name', 'short'], required: false },
  {
    key: 'titleEn',
    aliases: ['Наименование на английском', 'Английское наименование', 'english title', 'title (en)'],
    required: false,
  },
  { key: 'kind', aliases: ['Вид', 'Вид органа', 'Тип', 'kind', 'type'], required: false },
  { key: 'aliases', aliases: ['Синонимы', 'Другие названия', 'aliases', 'other names'], required: false },
];

type PersonColumn =
  'login' | 'displayName' | 'email' | 'role' | 'agency' | 'position' | 'authSource' | 'locale';
export const PERSON_COLUMNS: ColumnSpec<PersonColumn>[] = [
  { key: 'login', aliases: ['Логин', 'login', 'username'], required: true },
  {
    key: 'displayName',
    aliases: ['ФИО', 'Имя', 'Фамилия Имя Отчество', 'name', 'full name'],
    required: true,
  },
  {
    key: 'email',
    aliases: ['Email', 'E-mail', 'Эл. почта', 'Электронная почта', 'Почта', 'mail'],
    required: false,
  },
  { key: 'role', aliases: ['Роль', 'role'], required: true },
  {
    key: 'agency',
    aliases: ['Ведомство', 'Организация', 'agency', 'organisation', 'organization'],
    required: false,
  },
  { key: 'position', aliases: ['Должность', 'position', 'job title'], required: false },
  { key: 'authSource', aliases: ['Способ входа', 'Вход', 'sign-in', 'sign in', 'auth'], required: false },
  { key: 'locale', aliases: ['Язык', 'language', 'locale'], required: false },
];

/** Field problems of one row's input, as issues naming the file's columns. */
function fieldIssues<K extends string>(
  row: number,
  problems: { field: string; key: string; params?: Record<string, string | number> }[],
  column: (k: K) => string,
  fieldToColumn: Record<string, K>,
): ImportIssue[] {
  return problems.map((p) => ({
    row,
    column: column(fieldToColumn[p.field] ?? (p.field as K)),
    key: p.key,
    ...(p.params ? { params: p.params } : {}),
  }));
}

export async function importAgencies(
  db: Db,
  actor: Actor,
  file: { bytes: Uint8Array; filename: string },
): Promise<FileOutcome<OnboardingResult>> {
  requireAdmin(actor);
  const read = await readRows(file, AGENCY_COLUMNS);
  if (!read.ok) return read;
  const { rows, column, map } = read;
  return db.transaction().execute(async (trx): Promise<FileOutcome<OnboardingResult>> => {
    await sql`select pg_advisory_xact_lock(hashtext('shtab.agency'))`.execute(trx);
    const existing = await trx.selectFrom('agency').select(['id', 'code']).execute();
    const idOf = new Map(existing.map((a) => [a.code.toLowerCase(), a.id]));
    const errors: ImportIssue[] = [];
    const parsed: { row: number; item: AgencyInput; id: number | null }[] = [];
    for (const r of rows) {
      const kind = parseAgencyKind(r.cells.kind);
      if (kind === null) {
        errors.push({
          row: r.row,
          column: column('kind'),
          key: 'error.onboarding.kind',
          params: { value: r.cells.kind },
        });
        continue;
      }
      const item = tidyAgency({
        code: r.cells.code,
        titleRu: r.cells.titleRu,
        titleEn: r.cells.titleEn || null,
        shortRu: r.cells.shortRu || null,
        kind,
        aliases: splitLines(r.cells.aliases),
      });
      const problems = agencyProblems(item);
      if (problems.length) {
        errors.push(...fieldIssues<AgencyColumn>(r.row, problems, column, {}));
        continue;
      }
      parsed.push({ row: r.row, item, id: idOf.get(item.code.toLowerCase()) ?? null });
    }
    const dup = duplicates(
      parsed,
      (a) => a.code.toLowerCase(),
      (row, first, a) => ({
        row,
        column: column('code'),
        key: 'error.onboarding.duplicate',
        params: { value: a.code, first },
      }),
    );
    errors.push(...dup);
    if (dup.length === 0)
      for (const p of parsed) {
        const others = parsed.filter((x) => x !== p).map((x) => ({ id: x.id, input: x.item }));
        const clash = (await agencyConflicts(trx, p.item, p.id, others)).filter((c) => c.field !== 'code');
        errors.push(...fieldIssues<AgencyColumn>(p.row, clash, column, {}));
      }
    if (errors.length) return { ok: false, errors: sortIssues(map.header, errors) };
    let created = 0;
    let updated = 0;
    for (const p of parsed) {
      if (p.id === null) {
        await insertAgency(trx, actor, p.item, 'import');
        created++;
      } else if (await rewriteAgency(trx, actor, p.id, p.item, 'import')) updated++;
    }
    const result = { rows: rows.length, created, updated, unchanged: rows.length - created - updated };
    await audit(
      trx,
      actor,
      'agencies.imported',
      { kind: 'import', id: file.filename.slice(0, 200), label: file.filename.slice(0, 200) },
      { data: result },
    );
    return { ok: true, ...result };
  });
}

export async function importPeople(
  db: Db,
  actor: Actor,
  file: { bytes: Uint8Array; filename: string },
): Promise<FileOutcome<OnboardingResult>> {
  requireAdmin(actor);
  const read = await readRows(file, PERSON_COLUMNS);
  if (!read.ok) return read;
  const { rows, column, map } = read;
  return db.transaction().execute(async (trx): Promise<FileOutcome<OnboardingResult>> => {
    await sql`select pg_advisory_xact_lock(hashtext('shtab.people'))`.execute(trx);
    const [agencies, people] = await Promise.all([
      trx
        .selectFrom('agency')
        .select(['id', 'code', 'title_ru', 'short_ru', 'title_en', 'aliases', 'disabled', 'merged_into_id'])
        .execute(),
      trx.selectFrom('app_user').select(['id', 'login', 'auth_source', 'role', 'disabled']).execute(),
    ]);
    const matchAgency = agencyMatcher(agencies);
    const personOf = new Map(people.map((p) => [p.login.toLowerCase(), p]));
    const errors: ImportIssue[] = [];
    const parsed: { row: number; item: PersonInput; id: number | null }[] = [];
    for (const r of rows) {
      const c = r.cells;
      const issue = (k: PersonColumn, key: string, params?: Record<string, string | number>) =>
        errors.push({ row: r.row, column: column(k), key, ...(params ? { params } : {}) });
      const before = errors.length;
      const role = parseRole(c.role);
      if (!c.role) issue('role', 'error.svc.import.required');
      else if (role === null) issue('role', 'error.onboarding.role', { value: c.role });
      const authSource = parseAuthSource(c.authSource);
      if (authSource === null) issue('authSource', 'error.onboarding.authSource', { value: c.authSource });
      const locale =
        c.locale === '' || /^(ru|рус|русский)$/i.test(c.locale)
          ? 'ru'
          : /^(en|англ|english)/i.test(c.locale)
            ? 'en'
            : null;
      if (locale === null) issue('locale', 'error.onboarding.locale', { value: c.locale });
      let agencyId: number | null = null;
      if (c.agency) {
        const m = matchAgency(c.agency);
        if (m.ok) agencyId = m.id;
        else if (m.reason === 'ambiguous')
          issue('agency', 'error.import.agency.ambiguous', {
            value: c.agency,
            candidates: m.candidates.join('; '),
          });
        else if (m.reason === 'disabled')
          issue('agency', 'error.import.agency.disabled', {
            value: c.agency,
            agency: m.candidates.join('; '),
          });
        else if (m.suggestions.length)
          issue('agency', 'error.onboarding.agencySuggest', {
            value: c.agency,
            suggestions: m.suggestions.join('; '),
          });
        else issue('agency', 'error.onboarding.agency', { value: c.agency });
      }
      if (errors.length > before || role === null || authSource === null || locale === null) continue;
      const item = tidyPerson({
        login: c.login,
        displayName: c.displayName,
        email: c.email || null,
        role,
        agencyId,
        position: c.position || null,
        locale,
        authSource,
      });
      const problems = personProblems(item);
      if (problems.length) {
        errors.push(...fieldIssues<PersonColumn>(r.row, problems, column, { agencyId: 'agency' }));
        continue;
      }
      const old = personOf.get(item.login.toLowerCase());
      if (old && c.authSource && old.auth_source !== authSource) {
        issue('authSource', 'error.onboarding.methodChange', { login: old.login });
        continue;
      }
      if (old && old.role === 'admin' && item.role !== 'admin') {
        issue('role', 'error.onboarding.adminRole', { login: old.login });
        continue;
      }
      parsed.push({
        row: r.row,
        item: old ? { ...item, login: old.login, authSource: old.auth_source } : item,
        id: old?.id ?? null,
      });
    }
    errors.push(
      ...duplicates(
        parsed,
        (p) => p.login.toLowerCase(),
        (row, first, p) => ({
          row,
          column: column('login'),
          key: 'error.onboarding.duplicate',
          params: { value: p.login, first },
        }),
      ),
    );
    if (errors.length) return { ok: false, errors: sortIssues(map.header, errors) };
    let created = 0;
    let updated = 0;
    for (const p of parsed) {
      if (p.id === null) {
        await insertPerson(trx, actor, p.item, 'import');
        created++;
      } else if (await rewritePerson(trx, actor, p.id, p.item, 'import')) updated++;
    }
    const result = { rows: rows.length, created, updated, unchanged: rows.length - created - updated };
    await audit(
      trx,
      actor,
      'people.imported',
      { kind: 'import', id: file.filename.slice(0, 200), label: file.filename.slice(0, 200) },
      { data: result },
    );
    return { ok: true, ...result };
  });
}
