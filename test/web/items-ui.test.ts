import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate } from '../../domain/local-date.ts';
import pino from 'pino';
import { hashPassword, startHousekeeping } from '../../web/index.ts';
import { insertAgency, insertItem, insertUser } from '../support/fixtures.ts';
import {
  controlledItem,
  dueIn,
  eventIdFor,
  PDF,
  PNG,
  postForm,
  postMultipart,
  startWebStack,
  textOf,
  type WebStack,
} from '../support/item-ui-fixtures.ts';
import { WebClient } from '../support/web.ts';

// The item page's forms through the real app: web → Temporal Update on the dev server → worker activity →
// Postgres → the page again.
describe('item page forms', () => {
  let s: WebStack;
  const ag = {} as Record<'a' | 'b' | 'c', Awaited<ReturnType<typeof insertAgency>>>;
  const users = {} as Record<
    'execA' | 'headA' | 'execB' | 'execC' | 'wg' | 'lead',
    Awaited<ReturnType<typeof insertUser>>
  >;
  const clients = new Map<string, WebClient>();
  /** A signed-in client per user, reused across tests. */
  const as = async (who: keyof typeof users) => {
    let c = clients.get(who);
    if (!c) {
      c = new WebClient(s.web.url);
      await c.login(users[who].login, 'pw');
      clients.set(who, c);
    }
    return c;
  };
  const row = (id: number) =>
    s.db.selectFrom('control_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    s = await startWebStack();
    const password_hash = await hashPassword('pw');
    for (const k of ['a', 'b', 'c'] as const) ag[k] = await insertAgency(s.db);
    users.execA = await insertUser(s.db, 'agency_executor', ag.a.id, { password_hash });
    users.headA = await insertUser(s.db, 'agency_head', ag.a.id, { password_hash });
    users.execB = await insertUser(s.db, 'agency_executor', ag.b.id, { password_hash });
    users.execC = await insertUser(s.db, 'agency_executor', ag.c.id, { password_hash });
    users.wg = await insertUser(s.db, 'working_group', null, { password_hash });
    users.lead = await insertUser(s.db, 'leadership', null, { password_hash });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('submits a report with files and links; files keep their hash and download safely', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(40), title: 'Регламент услуги' });
    const exec = await as('execA');
    const page = await exec.get(`/items/${item.id}`);
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toMatch(/<input id="submit-files" name="files" type="file" multiple/);

    const res = await postMultipart(
      exec,
      `/items/${item.id}/submit`,
      {
        eventId: eventIdFor(page.text, `/items/${item.id}/submit`),
        part: '0',
        text: 'Проект регламента направлен на согласование',
        links: 'https://pravo.example.ru/doc/1 Проект регламента\nhttp://example.ru/x',
      },
      [
        { name: 'Проект регламента.pdf', bytes: PDF, type: 'application/pdf' },
        { name: 'схема.png', bytes: PNG, type: 'image/png' },
      ],
      { htmx: true },
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="item-panel"');
    const text = textOf(res.text);
    expect(text).toContain('На рассмотрении');
    expect(text).toContain('Проект регламента.pdf');
    expect(text).toContain('схема.png');
    expect(res.text).toContain('href="https://pravo.example.ru/doc/1"');
    expect(text).toContain('Представлен отчёт');
    expect(text).toContain('файлов: 2 · ссылок: 2');

    const sub = await s.db
      .selectFrom('submission')
      .selectAll()
      .where('control_item_id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(sub.links).toEqual([
      { url: 'https://pravo.example.ru/doc/1', title: 'Проект регламента' },
      { url: 'http://example.ru/x' },
    ]);
    const files = await s.db
      .selectFrom('attachment')
      .select(['id', 'filename', 'mime', 'sha256', 'uploaded_by', 'size_bytes'])
      .where('submission_id', '=', sub.id)
      .orderBy('id')
      .execute();
    expect(files.map((f) => [f.filename, f.mime, f.uploaded_by, f.size_bytes])).toEqual([
      ['Проект регламента.pdf', 'application/pdf', users.execA.id, PDF.byteLength],
      ['схема.png', 'image/png', users.execA.id, PNG.byteLength],
    ]);
    expect(files[0]!.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));

    // Anyone signed in may download; the file is never rendered in our origin.
    const wg = await as('wg');
    const dl = await wg.get(`/attachments/${files[0]!.id}`);
    expect(dl.status).toBe(200);
    expect(dl.text).toBe(new TextDecoder().decode(PDF));
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toBe(
      `attachment; filename="______ __________.pdf"; filename*=UTF-8''${encodeURIComponent('Проект регламента.pdf')}`,
    );
    expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
    expect(dl.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses bad links and files next to the field, keeps the typed text, and leaves no stray files', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(40) });
    const exec = await as('execA');
    const path = `/items/${item.id}/submit`;
    const post = (fields: Record<string, string>, files: Parameters<typeof postMultipart>[3] = []) =>
      postMultipart(exec, path, { eventId: randomUUID(), part: '0', ...fields }, files, { htmx: true });

    const badLink = await post({
      text: 'Мой подробный отчёт',
      links: 'https://ok.example\njavascript:alert(1)',
    });
    expect(badLink.status).toBe(422);
    expect(badLink.text).toMatch(
      /id="submit-links-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Строка 2: нужна ссылка/,
    );
    expect(badLink.text).toMatch(/<textarea id="submit-text"[^>]*>Мой подробный отчёт<\/textarea>/);
    expect(badLink.text).toContain('javascript:alert(1)</textarea>');

    const exe = await post({ text: 'x' }, [{ name: 'setup.exe', bytes: new TextEncoder().encode('MZ\x90') }]);
    expect(exe.status).toBe(422);
    expect(exe.text).toMatch(
      /id="submit-files-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Файл «setup.exe»: такой тип не принимается/,
    );

    const disguised = await post({ text: 'x' }, [
      { name: 'report.pdf', bytes: new TextEncoder().encode('<html><script>alert(1)</script>') },
    ]);
    expect(disguised.status).toBe(422);
    expect(textOf(disguised.text)).toContain('содержимое не соответствует расширению');

    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PDF);
    const tooBig = await post({ text: 'x' }, [{ name: 'big.pdf', bytes: big }]);
    expect(tooBig.status).toBe(422);
    expect(textOf(tooBig.text)).toContain('Файл «big.pdf» больше 5 МБ');

    // Valid files, but the workflow refuses the text: the stored files are deleted again.
    const tooLong = await post({ text: 'я'.repeat(20_001) }, [{ name: 'ok.pdf', bytes: PDF }]);
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('id="submit-text-error"');
    expect(
      await s.db.selectFrom('attachment').select('id').where('submission_id', 'is', null).execute(),
    ).toEqual([]);

    // Over the whole request limit (5 files × 5 MB + 1 MB): refused before parsing; htmx puts the message
    // next to the file input.
    const huge = await postMultipart(
      exec,
      path,
      { eventId: randomUUID(), part: '0', text: 'x' },
      [{ name: 'huge.pdf', bytes: new Uint8Array(27 * 1024 * 1024) }],
      { htmx: true },
    );
    expect(huge.status).toBe(413);
    expect(huge.headers.get('hx-retarget')).toBe('#upload-error');
    expect(huge.text).toContain('Слишком большой объём отправки');

    expect(await row(item.id)).toMatchObject({ status: 'assigned', version: 0 });
    expect(await s.db.selectFrom('submission').where('control_item_id', '=', item.id).execute()).toEqual([]);
  });

  it('returns a report with a reason, takes the resubmission and accepts it; the history shows both rounds', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(40), title: 'Порядок выплат' });
    const exec = await as('execA');
    const wg = await as('wg');
    let page = await exec.get(`/items/${item.id}`);
    expect(
      (
        await postMultipart(
          exec,
          `/items/${item.id}/submit`,
          { eventId: eventIdFor(page.text, `/items/${item.id}/submit`), part: '0', text: 'Первая версия' },
          [{ name: 'v1.pdf', bytes: PDF }],
          { htmx: true },
        )
      ).status,
    ).toBe(200);

    page = await wg.get(`/items/${item.id}`);
    expect(textOf(page.text)).toContain('Принять отчёт');
    expect(textOf(page.text)).toContain('Вернуть на доработку');
    const noReason = await wg.post(
      `/items/${item.id}/review`,
      { eventId: randomUUID(), outcome: 'return', reason: ' ' },
      { htmx: true },
    );
    expect(noReason.status).toBe(422);
    expect(noReason.text).toMatch(
      /id="review-reason-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Заполните поле/,
    );

    const returned = await wg.post(
      `/items/${item.id}/review`,
      { eventId: randomUUID(), outcome: 'return', reason: 'Приложите проект приказа' },
      { htmx: true },
    );
    expect(returned.status).toBe(200);
    expect(textOf(returned.text)).toContain('На доработке');
    const afterReturn = await row(item.id);
    // The control date stays; the rework window (5 working days) ends before it, so the rework is due on it.
    expect(afterReturn).toMatchObject({
      status: 'returned',
      review_round: 1,
      current_due: dueIn(40),
      rework_due: dueIn(40),
    });
    expect(textOf(returned.text)).toContain(`Срок доработки ${formatLocalDate(dueIn(40), 'ru')}`);

    page = await exec.get(`/items/${item.id}`);
    expect(textOf(page.text)).toContain('Причина: Приложите проект приказа');
    const resubmitted = await postMultipart(
      exec,
      `/items/${item.id}/submit`,
      { eventId: eventIdFor(page.text, `/items/${item.id}/submit`), part: '0', text: 'Исправлено' },
      [{ name: 'v2.pdf', bytes: PDF }],
      { htmx: true },
    );
    expect(resubmitted.status).toBe(200);

    const accepted = await wg.post(
      `/items/${item.id}/review`,
      { eventId: randomUUID(), outcome: 'accept', confirm: '1' },
      { htmx: true },
    );
    expect(accepted.status).toBe(200);
    const text = textOf(accepted.text);
    expect(text).toContain('Исполнено');
    expect(text).toContain('Итерация 2');
    expect(text).toContain('Итерация 1');
    expect(text).toMatch(
      /Итерация 2 .*Исправлено .*v2\.pdf .*Принят .*Итерация 1 .*Первая версия .*v1\.pdf .*Возвращён на доработку/,
    );
    expect(text).toContain('Отчёт принят, снято с контроля');
    expect(text).toContain('Возвращено на доработку');
    expect(text).toContain(`срок доработки ${formatLocalDate(afterReturn.rework_due!, 'ru')}`);
    // The only thing left for the working group: «вернуть на контроль»; the executor has nothing to do.
    expect(text).toContain('Вернуть на контроль');
    expect(textOf((await exec.get(`/items/${item.id}`)).text)).toContain(
      'Для вас сейчас нет доступных действий.',
    );
    expect(await row(item.id)).toMatchObject({ status: 'done', review_round: 1, rework_due: null });
  });

  it('requests an extension, the working group rejects it with a note, then approves a second one', async () => {
    const due = dueIn(20);
    const item = await controlledItem(s, { agencyId: ag.a.id, due, title: 'Единый реестр' });
    const exec = await as('execA');
    const wg = await as('wg');
    const request = (requestedDue: string, reason: string) =>
      exec.post(
        `/items/${item.id}/extension`,
        { eventId: randomUUID(), requestedDue, reason },
        { htmx: true },
      );

    const early = await request(dueIn(5), 'Нужна экспертиза');
    expect(early.status).toBe(422);
    expect(early.text).toMatch(
      /id="ext-requestedDue-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Новый срок должен быть позже текущего/,
    );
    expect(early.text).toContain('Нужна экспертиза</textarea>');

    const first = await request(dueIn(50), 'Нужна экспертиза');
    expect(first.status).toBe(200);
    expect(textOf(first.text)).toContain(`Запрос на продление до ${formatLocalDate(dueIn(50), 'ru')}`);
    expect(first.text).not.toContain(`action="/items/${item.id}/extension"`);

    const queue = await wg.get('/review');
    expect(textOf(queue.text)).toMatch(/Запросы на продление .*Единый реестр .*Нужна экспертиза/);
    expect(textOf((await exec.get('/my')).text)).toMatch(/Единый реестр .*запрошено продление/);

    const noChoice = await wg.post(
      `/items/${item.id}/extension/decision`,
      { eventId: randomUUID(), note: 'Хм' },
      { htmx: true },
    );
    expect(noChoice.status).toBe(422);
    expect(textOf(noChoice.text)).toContain('Выберите: продлить или отказать');

    const rejected = await wg.post(
      `/items/${item.id}/extension/decision`,
      { eventId: randomUUID(), decision: 'reject', note: 'Срок установлен губернатором' },
      { htmx: true },
    );
    expect(rejected.status).toBe(200);
    expect(textOf(rejected.text)).toContain('В продлении отказано');
    expect(textOf(rejected.text)).toContain('Комментарий: Срок установлен губернатором');
    expect((await row(item.id)).current_due).toBe(due);

    expect((await request(dueIn(60), 'Изменилось федеральное законодательство')).status).toBe(200);
    // The decision form offers the requested date to grant; the working group grants an earlier one.
    const form = await wg.get(`/items/${item.id}`);
    // The granted date defaults to the requested one, in its day / month / year boxes.
    const [y, m, d] = dueIn(60).split('-').map(Number);
    expect(form.text).toMatch(new RegExp(`id="decision-grantedDue"[^>]*value="${d}"`));
    expect(form.text).toMatch(new RegExp(`id="decision-grantedDue-month"[^>]*value="${m}"`));
    expect(form.text).toMatch(new RegExp(`id="decision-grantedDue-year"[^>]*value="${y}"`));
    const notLater = await wg.post(
      `/items/${item.id}/extension/decision`,
      { eventId: randomUUID(), decision: 'approve', grantedDue: dueIn(10) },
      { htmx: true },
    );
    expect(notLater.status).toBe(422);
    expect(notLater.text).toMatch(
      /id="decision-grantedDue-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Согласованная дата должна быть позже текущего контрольного срока/,
    );
    const approved = await wg.post(
      `/items/${item.id}/extension/decision`,
      { eventId: randomUUID(), decision: 'approve', grantedDue: dueIn(45), note: 'Согласовано частично' },
      { htmx: true },
    );
    expect(approved.status).toBe(200);
    const r = await row(item.id);
    expect(r).toMatchObject({ original_due: due, current_due: dueIn(45) });
    const text = textOf(approved.text);
    expect(text).toContain(`Первоначальный контрольный срок ${formatLocalDate(due, 'ru')}`);
    expect(text).toContain(
      `продлён до ${formatLocalDate(dueIn(45), 'ru')} (просили до ${formatLocalDate(dueIn(60), 'ru')})`,
    );
    expect(text).toMatch(
      new RegExp(
        // Names and reasons are marked as typed text (<span lang="ru">): textOf leaves spaces around them.
        `запросил\\(а\\)\\s+Пользователь ${users.execA.login}\\s*, .*:\\s*«\\s*Изменилось федеральное законодательство\\s*»`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        `согласовал\\(а\\)\\s+Пользователь ${users.wg.login}\\s*, .*:\\s*«\\s*Согласовано частично\\s*»`,
      ),
    );
    expect(text).toContain(`Контрольный срок ${formatLocalDate(dueIn(45), 'ru')}`);
    expect(text).toContain(
      `Срок продлён — Пользователь ${users.wg.login} · новый срок ${formatLocalDate(dueIn(45), 'ru')}`,
    );
    expect(text).toContain(`просят до ${formatLocalDate(dueIn(60), 'ru')}`);
  });

  it('reassigns to another agency with a co-executor, then cancels with confirmation', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(30), title: 'Маршрут заявителя' });
    const wg = await as('wg');
    const noReason = await postForm(
      wg,
      `/items/${item.id}/reassign`,
      { eventId: randomUUID(), agencyId: String(ag.c.id), coAgencyIds: [String(ag.b.id)], reason: '' },
      { htmx: true },
    );
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('id="reassign-reason-error"');
    expect(noReason.text).toContain(`<option value="${ag.c.id}" selected="">`);
    expect(noReason.text).toMatch(
      new RegExp(`id="reassign-coAgencyIds-${ag.b.id}" name="coAgencyIds" value="${ag.b.id}" checked`),
    );

    const unknown = await postForm(
      wg,
      `/items/${item.id}/reassign`,
      { eventId: randomUUID(), agencyId: '999999', reason: 'x' },
      { htmx: true },
    );
    expect(unknown.status).toBe(422);
    expect(textOf(unknown.text)).toContain('Выберите ведомство из списка');

    const moved = await postForm(
      wg,
      `/items/${item.id}/reassign`,
      {
        eventId: randomUUID(),
        agencyId: String(ag.c.id),
        coAgencyIds: [String(ag.b.id)],
        reason: 'Смена полномочий',
      },
      { htmx: true },
    );
    expect(moved.status).toBe(200);
    expect(await row(item.id)).toMatchObject({ agency_id: ag.c.id, co_agency_ids: [ag.b.id] });
    expect(textOf(moved.text)).toContain(
      `Передано другому исполнителю — Пользователь ${users.wg.login} · ${ag.a.short_ru} → ${ag.c.short_ru} · соисполнители: ${ag.b.short_ru} Причина: Смена полномочий`,
    );

    // Who may act now follows the new assignment.
    expect((await (await as('execA')).get(`/items/${item.id}`)).text).not.toContain(
      `/items/${item.id}/submit`,
    );
    expect((await (await as('execC')).get(`/items/${item.id}`)).text).toContain(
      `action="/items/${item.id}/submit"`,
    );
    expect(textOf((await (await as('execB')).get(`/items/${item.id}`)).text)).toContain(
      'Представить свою часть',
    );
    expect((await (await as('lead')).get(`/items/${item.id}`)).text).not.toContain(
      `/items/${item.id}/cancel`,
    );

    const unconfirmed = await wg.post(
      `/items/${item.id}/cancel`,
      { eventId: randomUUID(), reason: 'Мероприятие исключено из дорожной карты' },
      { htmx: true },
    );
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toMatch(
      /id="cancel-confirm-error"[^>]*>(?:<span class="sr-only">Ошибка: <\/span>)?Подтвердите отмену/,
    );
    expect(unconfirmed.text).toContain('Мероприятие исключено из дорожной карты</textarea>');
    expect(unconfirmed.text).toMatch(/<details class="more" open/);

    const cancelled = await wg.post(
      `/items/${item.id}/cancel`,
      { eventId: randomUUID(), reason: 'Мероприятие исключено из дорожной карты', confirm: '1' },
      { htmx: true },
    );
    expect(cancelled.status).toBe(200);
    expect(textOf(cancelled.text)).toContain('Причина отмены Мероприятие исключено из дорожной карты');
    expect(await row(item.id)).toMatchObject({ status: 'cancelled' });
  });

  it('takes a co-executor part before the responsible agency may report', async () => {
    const item = await controlledItem(s, {
      agencyId: ag.a.id,
      coAgencyIds: [ag.b.id],
      requireCoParts: true,
      due: dueIn(30),
      title: 'Совместный отчёт',
    });
    const execA = await as('execA');
    const execB = await as('execB');
    let pageA = await execA.get(`/items/${item.id}`);
    expect(pageA.text).not.toContain(`action="/items/${item.id}/submit"`);
    expect(textOf(pageA.text)).toContain(`${ag.b.short_ru} — часть не представлена`);
    expect(textOf((await execB.get('/my')).text)).toMatch(
      new RegExp(`Совместный отчёт .*Соисполнитель \\(ответственный — ${ag.a.short_ru}\\)`),
    );

    const pageB = await execB.get(`/items/${item.id}`);
    expect(pageB.text).toContain('name="part" value="1"');
    const part = await postMultipart(
      execB,
      `/items/${item.id}/submit`,
      { eventId: eventIdFor(pageB.text, `/items/${item.id}/submit`), part: '1', text: 'Наши данные' },
      [{ name: 'данные.pdf', bytes: PDF }],
      { htmx: true },
    );
    expect(part.status).toBe(200);
    expect(textOf(part.text)).toContain(`Часть соисполнителя: ${ag.b.short_ru}`);
    expect(textOf((await execB.get('/my')).text)).not.toContain('Совместный отчёт');

    pageA = await execA.get(`/items/${item.id}`);
    expect(textOf(pageA.text)).toContain(`${ag.b.short_ru} — часть представлена`);
    const report = await postMultipart(
      execA,
      `/items/${item.id}/submit`,
      { eventId: eventIdFor(pageA.text, `/items/${item.id}/submit`), part: '0', text: 'Сводный отчёт' },
      [],
      { htmx: true },
    );
    expect(report.status).toBe(200);
    expect(await row(item.id)).toMatchObject({ status: 'submitted' });
  });

  it('works without JavaScript: redirect after success, the whole page with the error otherwise', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(30), title: 'Без скриптов' });
    const exec = await as('execA');
    let page = await exec.get(`/items/${item.id}`);
    const bad = await postMultipart(exec, `/items/${item.id}/submit`, {
      eventId: eventIdFor(page.text, `/items/${item.id}/submit`),
      part: '0',
      text: 'Отчёт',
      links: 'ftp://example.ru/file',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/^<!DOCTYPE html>/i);
    expect(bad.text).toContain('<h1>Без скриптов</h1>');
    expect(bad.text).toContain('id="submit-links-error"');

    page = await exec.get(`/items/${item.id}`);
    const ok = await postMultipart(
      exec,
      `/items/${item.id}/submit`,
      { eventId: eventIdFor(page.text, `/items/${item.id}/submit`), part: '0', text: 'Отчёт' },
      [{ name: 'отчёт.pdf', bytes: PDF }],
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/items/${item.id}`);
    expect(await row(item.id)).toMatchObject({ status: 'submitted' });
  });

  it('stores one submission and no stray files when the same form is posted twice at once', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(30) });
    const exec = await as('execA');
    const page = await exec.get(`/items/${item.id}`);
    const eventId = eventIdFor(page.text, `/items/${item.id}/submit`);
    const post = (name: string) =>
      postMultipart(
        exec,
        `/items/${item.id}/submit`,
        { eventId, part: '0', text: 'Отчёт' },
        [{ name, bytes: PDF }],
        { htmx: true },
      );
    const [one, two] = await Promise.all([post('first.pdf'), post('second.pdf')]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const subs = await s.db
      .selectFrom('submission')
      .select('id')
      .where('control_item_id', '=', item.id)
      .execute();
    expect(subs).toHaveLength(1);
    const linked = await s.db
      .selectFrom('attachment')
      .select('filename')
      .where('submission_id', '=', subs[0]!.id)
      .execute();
    expect(linked).toHaveLength(1);
    expect(
      await s.db.selectFrom('attachment').select('id').where('submission_id', 'is', null).execute(),
    ).toEqual([]);
  });

  it("lists the agency's tasks overdue first and the working group's queue", async () => {
    const d = await insertAgency(s.db);
    const execD = await insertUser(s.db, 'agency_executor', d.id, {
      password_hash: await hashPassword('pw'),
    });
    const mk = (title: string, due: string, extra: Partial<Parameters<typeof insertItem>[1]> = {}) =>
      insertItem(s.db, { agencyId: d.id, due, title, ...extra });
    await mk('Позже', dueIn(30));
    await mk('Скоро', dueIn(5));
    await mk('Просрочено', dueIn(-10));
    const done = await mk('Уже исполнено', dueIn(3));
    await s.db.updateTable('control_item').set({ status: 'done' }).where('id', '=', done.row.id).execute();
    await insertItem(s.db, { agencyId: ag.a.id, due: dueIn(2), title: 'Чужое' });
    await insertItem(s.db, { agencyId: ag.a.id, coAgencyIds: [d.id], due: dueIn(10), title: 'Соисполняем' });

    const c = new WebClient(s.web.url);
    await c.login(execD.login, 'pw');
    const my = textOf((await c.get('/my')).text);
    const order = ['Просрочено', 'Скоро', 'Соисполняем', 'Позже'].map((t) => my.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(my).not.toContain('Уже исполнено');
    expect(my).not.toContain('Чужое');
    expect(my).toContain('Требуют действий: 4');

    const wg = await as('wg');
    const review = textOf((await wg.get('/review')).text);
    expect(review).toMatch(/Отчёты \(\d+\)/);
    expect(review).toContain('Совместный отчёт'); // submitted in an earlier test
    expect((await wg.get('/my')).headers.get('location')).toBe('/review');
    expect((await c.get('/review')).headers.get('location')).toBe('/my');
  });

  it('shows the in-app inbox with an unread badge; marking read updates both', async () => {
    const item = await controlledItem(s, { agencyId: ag.a.id, due: dueIn(30), title: 'Уведомляемое' });
    const exec = await as('execA');
    const page = await exec.get(`/items/${item.id}`);
    await postMultipart(
      exec,
      `/items/${item.id}/submit`,
      { eventId: eventIdFor(page.text, `/items/${item.id}/submit`), part: '0', text: 'Готово' },
      [],
      { htmx: true },
    );
    const wg = await as('wg');
    const unread = async () =>
      Number(
        (
          await s.db
            .selectFrom('notification')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('recipient_user_id', '=', users.wg.id)
            .where('read_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const n = await unread();
    expect(n).toBeGreaterThan(1);
    const inbox = await wg.get('/inbox');
    expect(inbox.text).toMatch(
      new RegExp(`id="unread-badge" class="count">${n}<span class="sr-only"> непрочитанных`),
    );
    expect(textOf(inbox.text)).toContain('Представлен отчёт: #' + item.id + ' «Уведомляемое»');
    expect(inbox.text).toContain(`href="/items/${item.id}"`);

    const note = await s.db
      .selectFrom('notification')
      .select('id')
      .where('recipient_user_id', '=', users.wg.id)
      .where('control_item_id', '=', item.id)
      .executeTakeFirstOrThrow();
    const marked = await wg.post(`/inbox/${note.id}/read`, {}, { htmx: true });
    expect(marked.status).toBe(200);
    expect(marked.text).toMatch(new RegExp(`id="unread-badge" class="count" hx-swap-oob="true">${n - 1}<`));
    expect(await unread()).toBe(n - 1);

    // Someone else's notification does not exist for this user.
    expect((await exec.post(`/inbox/${note.id}/read`, {}, { htmx: true })).status).toBe(404);

    const all = await wg.post('/inbox/read-all', {});
    expect(all.status).toBe(303);
    expect(await unread()).toBe(0);
    expect((await wg.get('/inbox')).text).toMatch(/id="unread-badge" class="count"><\/span>/);
  });

  it('purges uploads no submission took once they are a day old, and nothing else', async () => {
    const file = (name: string, createdAt: Date) => ({
      uploaded_by: users.execA.id,
      filename: name,
      mime: 'application/pdf',
      size_bytes: PDF.byteLength,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      content: PDF,
      created_at: createdAt,
    });
    const [stale, fresh] = await s.db
      .insertInto('attachment')
      .values([file('stale.pdf', new Date(Date.now() - 25 * 3600_000)), file('fresh.pdf', new Date())])
      .returning('id')
      .execute();
    const linkedBefore = await s.db
      .selectFrom('attachment')
      .select('id')
      .where('submission_id', 'is not', null)
      .execute();
    const housekeeping = startHousekeeping({ db: s.db, log: pino({ level: 'silent' }), everyMs: 3_600_000 });
    await housekeeping.runOnce();
    housekeeping.stop();
    const left = await s.db.selectFrom('attachment').select('id').execute();
    const ids = left.map((r) => r.id);
    expect(ids).not.toContain(stale!.id);
    expect(ids).toContain(fresh!.id);
    expect(linkedBefore.every((r) => ids.includes(r.id))).toBe(true);
  });
});
