import type { DigestDiff, DigestItem, DigestSnapshot } from '../../domain/check-in/index.ts';
import { formatFeedbackPeriod } from '../../domain/feedback/period.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import { StatusBadge } from './components.tsx';
import { LocalText, UserText } from './components.tsx';
import type { Child } from 'hono/jsx';
import { DataTable, type Column } from './table.tsx';
import { unitLabel } from './format.ts';

// The stored digest, rendered. Every text comes from the snapshot and is escaped by JSX; item links use
// numeric ids only.

interface Ctx {
  t: Translate;
  locale: Locale;
  d: DigestSnapshot;
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

function agencyName(c: Ctx, id: number) {
  const a = c.d.agencies.find((x) => x.id === id);
  return a ? (c.locale === 'en' ? a.nameEn : a.nameRu) : `#${id}`;
}

function ItemCell({
  c,
  i,
}: {
  c: Ctx;
  i: { id: number; number: string | null; titleRu: string; titleEn: string | null };
}) {
  return (
    <>
      <span class="muted">{i.number ? `${c.t('item.ref', { number: i.number })} ` : ''}</span>
      <a href={`/items/${i.id}`}>
        <LocalText locale={c.locale} ru={i.titleRu} en={i.titleEn} />
      </a>
    </>
  );
}

/** The columns every item table of the digest starts with. */
function itemColumns<T extends DigestItem>(c: Ctx): Column<T>[] {
  const { t, locale } = c;
  return [
    { label: t('item.title'), wide: true, cell: (i) => <ItemCell c={c} i={i} /> },
    { label: t('item.agency'), cell: (i) => agencyName(c, i.agencyId) },
    { label: t('item.currentDue'), class: 'nowrap', cell: (i) => formatDate(i.due, locale) },
    { label: t('item.status'), cell: (i) => <StatusBadge status={i.status} t={t} /> },
  ];
}

function ItemTable<T extends DigestItem>({
  c,
  items,
  extra,
}: {
  c: Ctx;
  items: T[];
  extra?: { head: string; cell: (i: T) => Child };
}) {
  return (
    <DataTable
      rows={items}
      empty={<p class="muted">{c.t('checkIn.none')}</p>}
      columns={[...itemColumns<T>(c), extra && { label: extra.head, cell: extra.cell }]}
    />
  );
}

export function DigestView({ d, t, locale, utcOffsetMinutes }: Ctx & { utcOffsetMinutes: number }) {
  const c = { d, t, locale };
  const noteOf = new Map(d.notes.map((n) => [n.itemId, n]));
  return (
    <div class="digest">
      {d.late && (
        <p class="alert" role="status">
          {t('checkIn.lateDigest')}
        </p>
      )}
      <section aria-labelledby="dg-instr">
        <h2 id="dg-instr">{t('checkIn.instructions')}</h2>
        <DataTable
          rows={d.instructions}
          empty={<p class="muted">{t('checkIn.none')}</p>}
          rowClass={(i) => (i.fromPrevious ? 'from-previous' : undefined)}
          columns={[
            {
              label: t('item.title'),
              wide: true,
              cell: (i) => (
                <>
                  <ItemCell c={c} i={i} />
                  {i.specialControl && <span class="badge special"> {t('checkIn.specialControl')}</span>}
                  {!i.fromPrevious && <span class="muted"> · {t('checkIn.olderInstruction')}</span>}
                </>
              ),
            },
            { label: t('item.agency'), cell: (i) => agencyName(c, i.agencyId) },
            { label: t('item.currentDue'), class: 'nowrap', cell: (i) => formatDate(i.due, locale) },
            {
              label: t('item.status'),
              cell: (i) => (
                <>
                  <StatusBadge status={i.status} overdue={i.overdue} t={t} />
                  {i.lateness && i.lateness.state !== 'none' && (
                    <span class={`lateness ${i.lateness.state} block`}>
                      {t(i.lateness.state === 'overdue' ? 'lateness.overdue' : 'lateness.late', {
                        days: i.lateness.workingDays,
                      })}
                    </span>
                  )}
                </>
              ),
            },
            { label: t('checkIn.note'), cell: (i) => <UserText text={noteOf.get(i.id)?.body} /> },
          ]}
        />
      </section>

      <section aria-labelledby="dg-totals">
        <h2 id="dg-totals">{t('checkIn.totals')}</h2>
        <ul class="kpis">
          {(
            [
              ['total', d.totals.total],
              ['done', d.totals.done],
              ['open', d.totals.open],
              ['overdue', d.totals.overdue],
              ['atRisk', d.totals.atRisk],
              ['submitted', d.totals.submitted],
            ] as const
          ).map(([k, v]) => (
            <li class={k === 'overdue' ? 'bad' : undefined}>
              <span class="kpi-value">{v}</span> <span class="kpi-label">{t(`checkIn.${k}`)}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="dg-changes">
        <h2 id="dg-changes">
          {t('checkIn.changesSince', {
            date: formatDate(instantToLocalDate(Date.parse(d.since), utcOffsetMinutes), locale),
          })}
        </h2>
        <h3>{t('checkIn.closedThisWeek')}</h3>
        <ItemTable c={c} items={d.changes.closed} />
        <h3>{t('checkIn.newlyOverdue')}</h3>
        <ItemTable c={c} items={d.changes.newlyOverdue} />
        <h3>{t('checkIn.extensions')}</h3>
        <ItemTable
          c={c}
          items={d.changes.extensions}
          extra={{
            head: t('checkIn.previousDue'),
            cell: (i) => formatDate(i.previousDue, locale),
          }}
        />
        <h3>{t('checkIn.rework')}</h3>
        <ItemTable
          c={c}
          items={d.changes.rework}
          extra={{ head: t('action.reason'), cell: (i) => <UserText text={i.reason} /> }}
        />
      </section>

      <section aria-labelledby="dg-red">
        <h2 id="dg-red">{t('checkIn.redList')}</h2>
        <DataTable
          rows={d.redList}
          class="red-list"
          empty={<p class="muted">{t('checkIn.none')}</p>}
          rowClass={(r) => `level-${r.escalationLevel}`}
          columns={[
            { label: t('item.escalation'), class: 'num', cell: (r) => r.escalationLevel },
            { label: t('item.title'), wide: true, cell: (r) => <ItemCell c={c} i={r} /> },
            { label: t('item.agency'), cell: (r) => agencyName(c, r.agencyId) },
            { label: t('item.currentDue'), class: 'nowrap', cell: (r) => formatDate(r.due, locale) },
            {
              // Snapshots from before lateness had one unit counted calendar days.
              label: t(d.latenessUnit ? 'checkIn.daysOverdue' : 'checkIn.daysOverdueCalendar'),
              class: 'num',
              cell: (r) => r.daysOverdue,
            },
            { label: t('checkIn.note'), cell: (r) => <UserText text={noteOf.get(r.id)?.body} /> },
          ]}
        />
      </section>

      <section aria-labelledby="dg-upcoming">
        <h2 id="dg-upcoming">{t('checkIn.upcoming')}</h2>
        <ItemTable c={c} items={d.upcoming} />
      </section>

      <section aria-labelledby="dg-league">
        <h2 id="dg-league">{t('checkIn.league')}</h2>
        <DataTable
          rows={d.league}
          empty={<p class="muted">{t('checkIn.none')}</p>}
          columns={[
            { label: t('checkIn.rank'), class: 'num', cell: (l) => l.rank },
            { label: t('item.agency'), rowHeader: true, wide: true, cell: (l) => agencyName(c, l.agencyId) },
            { label: t('checkIn.total'), class: 'num', cell: (l) => l.total },
            { label: t('checkIn.done'), class: 'num', cell: (l) => l.done },
            { label: t('checkIn.overdue'), class: 'num', cell: (l) => l.overdue },
            { label: t('checkIn.onTrack'), class: 'num', cell: (l) => pct(l.onTrackRate) },
            {
              label: t('checkIn.notesGiven'),
              class: 'num',
              cell: (l) => (l.notesRequested ? `${l.notesGiven}/${l.notesRequested}` : '—'),
            },
          ]}
        />
      </section>

      <section aria-labelledby="dg-ls">
        <h2 id="dg-ls">{t('checkIn.lifeSituations')}</h2>
        <DataTable
          rows={d.lifeSituations}
          empty={<p class="muted">{t('checkIn.none')}</p>}
          columns={[
            {
              label: t('item.lifeSituation'),
              rowHeader: true,
              wide: true,
              cell: (l) => (locale === 'en' ? l.titleEn : l.titleRu),
            },
            { label: t('checkIn.total'), class: 'num', cell: (l) => l.total },
            { label: t('checkIn.done'), class: 'num', cell: (l) => l.done },
            { label: t('checkIn.overdue'), class: 'num', cell: (l) => l.overdue },
          ]}
        />
      </section>

      <section aria-labelledby="dg-kpi">
        <h2 id="dg-kpi">{t('checkIn.kpis')}</h2>
        <DataTable
          rows={d.kpis}
          class="kpi-trajectory"
          empty={<p class="muted">{t('checkIn.none')}</p>}
          columns={[
            {
              label: t('checkIn.indicator'),
              rowHeader: true,
              wide: true,
              cell: (k) => (
                <>
                  {locale === 'en' ? k.titleEn : k.titleRu}{' '}
                  <span class="muted">({unitLabel(k.unit, t)})</span>
                </>
              ),
            },
            {
              label: t('checkIn.trajectory'),
              cell: (k) =>
                k.points.map((p) => `${p.period}: ${p.actual ?? '—'} / ${p.plan ?? '—'}`).join(' → '),
            },
          ]}
        />
      </section>

      {d.citizens && (
        <section aria-labelledby="dg-citizens">
          <h2 id="dg-citizens">
            {t('fb.worries.title', { period: formatFeedbackPeriod(d.citizens.period, locale) })}
          </h2>
          <p class="muted">
            {t('fb.worries.basis', { remarks: d.citizens.remarks, votes: d.citizens.votes })}{' '}
            {t('fb.digest.cases', {
              open: d.citizens.cases.open,
              overdue: d.citizens.cases.overdue,
              answered: d.citizens.cases.answered,
              fixed: d.citizens.cases.fixed,
            })}
          </p>
          {d.citizens.topics.length === 0 ? (
            <p class="muted">{t('fb.worries.none')}</p>
          ) : (
            <ol>
              {d.citizens.topics.map((p) => (
                <li>
                  {locale === 'en' ? p.titleEn : p.titleRu} — {p.count} ({pct(p.share)})
                  {p.trend !== null &&
                    Math.abs(p.trend) >= 0.005 &&
                    ` ${p.trend > 0 ? '▲' : '▼'} ${pct(Math.abs(p.trend))}`}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}

      <section aria-labelledby="dg-notes">
        <h2 id="dg-notes">{t('checkIn.notes')}</h2>
        {d.notes.length === 0 ? (
          <p class="muted">{t('checkIn.none')}</p>
        ) : (
          <dl class="notes">
            {d.notes.map((n) => (
              <>
                <dt>
                  <ItemCell
                    c={c}
                    i={{ id: n.itemId, number: n.number, titleRu: n.titleRu, titleEn: n.titleEn }}
                  />{' '}
                  <span class="muted">
                    — {agencyName(c, n.agencyId)}
                    {n.author && (
                      <>
                        , <UserText text={n.author} />
                      </>
                    )}
                  </span>
                </dt>
                <dd>
                  <UserText text={n.body} />
                </dd>
              </>
            ))}
          </dl>
        )}
      </section>
    </div>
  );
}

export function DiffView({ diff, d, t, locale }: Ctx & { diff: DigestDiff }) {
  const c = { d, t, locale };
  const list = (items: DigestItem[]) =>
    items.length === 0 ? (
      <span class="muted">{t('checkIn.none')}</span>
    ) : (
      <ul>
        {items.map((i) => (
          <li>
            <ItemCell c={c} i={i} /> <span class="muted">— {agencyName(c, i.agencyId)}</span>
          </li>
        ))}
      </ul>
    );
  return (
    <section aria-labelledby="dg-diff" class="diff">
      <h2 id="dg-diff">{t('checkIn.diffTitle')}</h2>
      <p>
        <a href={`/check-ins/${diff.previousCheckInId}`}>{t('checkIn.previous')}</a>
      </p>
      <DataTable
        rows={diff.counts}
        empty={null}
        columns={[
          { label: t('checkIn.xlsx.metric'), rowHeader: true, cell: (x) => t(`checkIn.${x.key}`) },
          { label: t('checkIn.before'), class: 'num', cell: (x) => x.before },
          { label: t('checkIn.after'), class: 'num', cell: (x) => x.after },
          {
            label: 'Δ',
            class: 'num',
            cell: (x) => (
              <span class={x.delta === 0 ? 'muted' : undefined}>
                {x.delta > 0 ? `+${x.delta}` : String(x.delta)}
              </span>
            ),
          },
        ]}
      />
      <h3>{t('checkIn.diffNewOverdue')}</h3>
      {list(diff.newOverdue)}
      <h3>{t('checkIn.diffLeftRed')}</h3>
      {list(diff.leftRedList)}
      <h3>{t('checkIn.closedThisWeek')}</h3>
      {list(diff.closed)}
      <h3>{t('checkIn.extensions')}</h3>
      {list(diff.extensions)}
      <h3>{t('checkIn.diffEscalated')}</h3>
      {diff.escalated.length === 0 ? (
        <span class="muted">{t('checkIn.none')}</span>
      ) : (
        <ul>
          {diff.escalated.map((e) => (
            <li>
              <ItemCell c={c} i={e.item} /> — {e.from} → {e.to}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
