// One check-in: status, the digest (and what changed since the last one), the minutes.
import type { Context } from 'hono';
import {
  allAgencies,
  checkInDecisions,
  checkInRequests,
  committeeList,
  composeDigest,
  previousDigestCheckIn,
} from '../../../db/read-models/index.ts';
import { DEFAULT_CHECK_IN_POLICY, diffDigests, type DigestSnapshot } from '../../../domain/check-in/index.ts';
import { mayGiveInstructions } from '../../../app/instructions/index.ts';
import { isAgencyRole, isProjectOffice } from '../../../domain/roles.ts';
import { isHtmx } from '../../auth/index.ts';
import { actorOf, currentUser, localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { formatDate, formatDateTime } from '../../i18n/index.ts';
import { CommitteeView } from '../../views/committee.tsx';
import { DiffView, DigestView } from '../../views/digest.tsx';
import { agencyShort } from '../../views/item-columns.tsx';
import { DataTable } from '../../views/table.tsx';
import { UserText } from '../../views/components.tsx';
import { StatusTag, type CheckIn } from './shared.tsx';
import { MinutesForm, type MinutesState } from './minutes-form.tsx';

export async function CheckInPage({
  c,
  ci,
  minutes,
}: {
  c: Context<AppEnv>;
  ci: CheckIn;
  minutes?: MinutesState | undefined;
}) {
  const { t, locale } = c.var;
  const { db, config } = c.var.deps;
  const user = currentUser(c);
  const d = ci.digest as DigestSnapshot | null;
  const policy = { ...DEFAULT_CHECK_IN_POLICY, utcOffsetMinutes: c.var.deps.policy.utcOffsetMinutes };
  const [requests, decisions, agencies, committee, prev, agenda] = await Promise.all([
    checkInRequests(db, ci.id),
    checkInDecisions(db, ci.id),
    allAgencies(db),
    committeeList(db),
    d && ci.roadmap_id ? previousDigestCheckIn(db, ci.roadmap_id, ci.meeting_at) : Promise.resolve(undefined),
    // Before the meeting: the agenda as the digest would be now (the digest itself is fixed at meeting time).
    ci.status === 'collecting' && ci.roadmap_id
      ? composeDigest(db, { checkInId: ci.id, at: Date.now(), late: false, policy })
      : Promise.resolve(null),
  ]);
  const canGive = mayGiveInstructions(actorOf(user)) && ci.status !== 'skipped';
  const agencyName = (id: number | null) => {
    const a = agencies.find((x) => x.id === id);
    return a ? agencyShort(locale, a) : '—';
  };
  const asked = isAgencyRole(user.role) && requests.some((r) => r.agency_id === user.agencyId);
  return (
    <article id="check-in" class="check-in">
      <p class="muted">{localized(locale, ci.roadmap_title_ru ?? '', ci.roadmap_title_en)}</p>
      <h1>{t('checkIn.meetingOf', { when: formatDateTime(ci.meeting_at, locale, config.timeZone) })}</h1>
      <p>
        <StatusTag status={ci.status} t={t} />
        {ci.digest_at && (
          <span class="muted">
            {' '}
            {t('checkIn.digestBuilt', { when: formatDateTime(ci.digest_at, locale, config.timeZone) })}
          </span>
        )}
      </p>
      <ul class="links no-print">
        {d && (
          <li>
            <a href={`/check-ins/${ci.id}/digest.xlsx`}>{t('checkIn.downloadXlsx')}</a>
          </li>
        )}
        {ci.status !== 'skipped' && (
          <li>
            <a href={`/check-ins/${ci.id}/meeting.ics`}>{t('checkIn.downloadIcs')}</a>
          </li>
        )}
        {asked && ci.status === 'collecting' && (
          <li>
            <a href={`/check-ins/${ci.id}/notes`}>{t('checkIn.giveNotes')}</a>
          </li>
        )}
        {canGive && (
          <li>
            <a href={`/instructions/new?checkIn=${ci.id}`}>{t('home.lead.give')}</a>
          </li>
        )}
        <li>
          <a href="/check-ins">{t('checkIn.allCheckIns')}</a>
        </li>
      </ul>
      {ci.status === 'skipped' && <p class="notice">{t('error.checkIn.skippedHoliday')}</p>}
      {ci.status === 'collecting' && (
        <section aria-labelledby="requests-title">
          <p>{t('checkIn.collectingHelp')}</p>
          <h2 id="requests-title">{t('checkIn.requests')}</h2>
          <DataTable
            rows={requests}
            empty={<p class="muted">{t('checkIn.noRequestsYet')}</p>}
            columns={[
              { label: t('item.agency'), rowHeader: true, cell: (r) => agencyName(r.agency_id) },
              { label: t('checkIn.itemsAsked'), class: 'num', cell: (r) => r.item_ids.length },
              {
                label: t('checkIn.answered'),
                cell: (r) =>
                  r.answered_at ? (
                    <>
                      {formatDateTime(r.answered_at, locale, config.timeZone)}
                      {r.answered_by && (
                        <>
                          , <UserText text={r.answered_by} />
                        </>
                      )}
                    </>
                  ) : (
                    t('checkIn.notYet')
                  ),
              },
              {
                label: t('checkIn.chased'),
                cell: (r) => (r.chased_at ? formatDateTime(r.chased_at, locale, config.timeZone) : '—'),
              },
            ]}
          />
        </section>
      )}
      {agenda && (
        <section aria-labelledby="agenda-title" class="agenda">
          <h2 id="agenda-title">{t('checkIn.agenda')}</h2>
          <p class="muted">{t('checkIn.agendaNote')}</p>
          <DigestView
            d={agenda}
            t={t}
            locale={locale}
            utcOffsetMinutes={c.var.deps.policy.utcOffsetMinutes}
          />
        </section>
      )}
      {d && <DigestView d={d} t={t} locale={locale} utcOffsetMinutes={c.var.deps.policy.utcOffsetMinutes} />}
      {d && prev?.digest && (
        <DiffView diff={diffDigests(prev.digest as DigestSnapshot, d)} d={d} t={t} locale={locale} />
      )}
      {ci.status === 'closed' && (
        <section aria-labelledby="minutes-title">
          <h2 id="minutes-title">{t('checkIn.minutesTitle')}</h2>
          {ci.minutes ? (
            <p class="minutes-text">
              <UserText text={ci.minutes} />
            </p>
          ) : (
            decisions.length === 0 && <p class="muted">{t('checkIn.noMinutes')}</p>
          )}
          {decisions.length > 0 && (
            <ol class="decisions">
              {decisions.map((x) => (
                <li>
                  <p class="minutes-text">
                    <UserText text={x.text} />
                  </p>
                  {x.control_item_id && (
                    <p class="muted">
                      <a href={`/items/${x.control_item_id}`}>{t('kind.instruction')}</a> —{' '}
                      {agencyName(x.agency_id)}
                      {x.co_agency_ids.length > 0 &&
                        ` (+ ${x.co_agency_ids.map(agencyName).join(', ')})`}, {t('checkIn.due')}{' '}
                      {formatDate(x.due, locale)}
                      {x.special_control && ` · ${t('checkIn.specialControl')}`}
                      {x.item_status && ` · ${t(`status.${x.item_status}`)}`}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
      {ci.status === 'held' && isProjectOffice(user.role) && <MinutesForm c={c} ci={ci} state={minutes} />}
      {committee.length > 0 && (
        <section aria-labelledby="committee-title" class="committee-section">
          <h2 id="committee-title">{t('committee.title')}</h2>
          <CommitteeView members={committee} t={t} locale={locale} />
        </section>
      )}
    </article>
  );
}

export async function renderCheckIn(
  c: Context<AppEnv>,
  ci: CheckIn,
  minutes?: MinutesState,
  status: 200 | 409 | 422 = 200,
) {
  const title = c.var.t('checkIn.meetingOf', {
    when: formatDateTime(ci.meeting_at, c.var.locale, c.var.deps.config.timeZone),
  });
  if (isHtmx(c)) return c.html(<CheckInPage c={c} ci={ci} minutes={minutes} />, status);
  c.status(status);
  return c.render(<CheckInPage c={c} ci={ci} minutes={minutes} />, { title, section: 'checkIns' });
}
