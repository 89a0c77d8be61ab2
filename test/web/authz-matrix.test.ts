import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precedingWorkingDay } from '../../domain/calendar/index.ts';
import { DEFAULT_CHASE_POLICY } from '../../domain/control-item/index.ts';
import { addDays, instantToLocalDate } from '../../domain/local-date.ts';
import type { Role } from '../../domain/roles.ts';
import { hashPassword } from '../../web/index.ts';
import { startControlItem, updateItem } from '../../app/control-items/index.ts';
import { startWorkUpdate } from '../../workflows/definitions.ts';
import { actorOf, insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import type { TestDatabase } from '../support/pg.ts';
import { WebClient } from '../support/web.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { FIXTURE_SETUPS, ROUTE_CASES } from './authz/index.ts';
import { createItemsFixture } from './authz/items.ts';
import { PERSONAS, type MatrixFixture, type Persona } from './authz/types.ts';

/**
 * Every route × every persona. The route list comes from the app itself, so a new route without declared
 * expectations fails this test.
 */
describe('authorization matrix', () => {
  let tdb: TestDatabase;
  let temporal: TestStack['temporal'];
  let stack: TestStack;
  let web: TestStack['web'];
  let fixture: MatrixFixture;
  const logins = new Map<Persona, string>();
  const actors = new Map<Persona, ReturnType<typeof actorOf>>();

  beforeAll(async () => {
    stack = await startTestStack({ publicUrl: 'http://t' });
    ({ tdb, temporal, web } = stack);
    const hash = await hashPassword('pw');
    const own = await insertAgency(tdb.db);
    const other = await insertAgency(tdb.db);
    const make = async (p: Persona, role: Role, agencyId: number | null) => {
      const u = await insertUser(tdb.db, role, agencyId, { login: `m-${p}`, password_hash: hash });
      logins.set(p, u.login);
      actors.set(p, actorOf(u));
      return u;
    };
    for (const r of ['admin', 'working_group', 'leadership', 'observer'] as const) await make(r, r, null);
    await make('agency_head', 'agency_head', own.id);
    const exec = await make('agency_executor', 'agency_executor', own.id);
    await make('other_agency_executor', 'agency_executor', other.id);
    const today = instantToLocalDate(Date.now(), DEFAULT_CHASE_POLICY.utcOffsetMinutes);
    const { row, state } = await insertItem(tdb.db, {
      agencyId: own.id,
      due: precedingWorkingDay(addDays(today, 60)),
    });
    await startControlItem(temporal.handle, state, DEFAULT_CHASE_POLICY);
    await updateItem(temporal.handle, row.id, startWorkUpdate, {
      actor: actorOf(exec),
      eventId: randomUUID(),
    });
    const ls = await tdb.db
      .insertInto('life_situation')
      .values({ code: 'M-LS', title_ru: 'Ситуация', title_en: 'Situation', level: 'regional' })
      .returning('id')
      .executeTakeFirstOrThrow();
    fixture = {
      db: tdb.db,
      itemId: row.id,
      ownAgencyId: own.id,
      otherAgencyId: other.id,
      lifeSituationId: ls.id,
      loginOf: (p) => logins.get(p) ?? null,
      password: 'pw',
      items: await createItemsFixture({
        db: tdb.db,
        temporal: temporal.handle,
        ownAgencyId: own.id,
        otherAgencyId: other.id,
        actorOf: (p) => actors.get(p)!,
      }),
      extra: {},
    };
    for (const setup of FIXTURE_SETUPS) await setup(fixture);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('declares an expectation for every route the app registers', () => {
    const registered = new Set(
      web.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    const declared = new Set(ROUTE_CASES.map((c) => `${c.method} ${c.pattern}`));
    expect([...registered].filter((r) => !declared.has(r)).sort(), 'routes without expectations').toEqual([]);
    expect([...declared].filter((r) => !registered.has(r)).sort(), 'expectations for missing routes').toEqual(
      [],
    );
  });

  it('answers each persona as declared', async () => {
    const failures: string[] = [];
    for (const persona of PERSONAS) {
      const client = new WebClient(web.url);
      if (persona !== 'anonymous') await client.login(logins.get(persona)!, 'pw');
      else await client.get('/login');
      for (const c of ROUTE_CASES) {
        if (c.pattern === '/logout') continue; // would end the session mid-matrix; checked last
        const path = c.path(fixture);
        const form = typeof c.form === 'function' ? c.form(persona, fixture) : (c.form ?? {});
        const res =
          c.method === 'GET'
            ? await client.get(path)
            : c.method === 'PUT'
              ? await client.request(path, {
                  method: 'PUT',
                  body: JSON.stringify(form),
                  headers: { 'content-type': 'application/json' },
                  htmx: true,
                })
              : await client.post(
                  path,
                  {
                    eventId: randomUUID(),
                    ...form,
                  },
                  { htmx: true },
                );
        const want = c.expect[persona] ?? c.otherwise;
        if (res.status !== want)
          failures.push(`${persona} ${c.method} ${path}: ${res.status}, expected ${want}`);
      }
      const out = await client.post('/logout', {});
      const want = ROUTE_CASES.find((c) => c.pattern === '/logout')!;
      if (out.status !== (want.expect[persona] ?? want.otherwise))
        failures.push(`${persona} POST /logout: ${out.status}`);
    }
    expect(failures).toEqual([]);
  });
});
