import type { DigestDiff, DigestItem, DigestSnapshot } from '../../domain/check-in/index.ts';
import { formatFeedbackPeriod } from '../../domain/feedback/period.ts';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import { StatusBadge } from './components.tsx';

// The stored digest, rendered. Every text comes from the snapshot and is escaped by JSX; item links use
// numeric ids only.

interface Ctx {
  t: Translate;
  locale: Locale;
  d: DigestSnapshot;
}

const itemTitle = (i: { titleRu: string; titleEn: string | null }, locale: Locale) =>
  locale === 'en' && i.titleEn ? i.titleEn : i.titleRu;
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
      <span class="muted">{i.number ? `№ ${i.number} ` : ''}</span>
      <a href={`/items/${i.id}`}>{itemTitle(i, c.locale)}</a>
    </>
  );
}

function ItemTable<T extends DigestItem>({
  c,
  items,
  extra,
}: {
  c: Ctx;
  items: T[];
  extra?: { head: string; cell: (i: T) => string };
}) {
  const { t, locale } = c;
  if (items.length === 0) return <p class="muted">{t('checkIn.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('item.title')}</th>
          <th scope="col">{t('item.agency')}</th>
          <th scope="col">{t('item.currentDue')}</th>
          <th scope="col">{t('item.status')}</th>
          {extra && <th scope="col">{extra.head}</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr>
            <td>
              <ItemCell c={c} i={i} />
            </td>
            <td>{agencyName(c, i.agencyId)}</td>
            <td>{formatDate(i.due, locale)}</td>
            <td>
              <StatusBadge status={i.status} t={t} />
            </td>
            {extra && <td>{extra.cell(i)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
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
        {d.instructions.length === 0 ? (
          <p class="muted">{t('checkIn.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('item.title')}</th>
                <th scope="col">{t('item.agency')}</th>
                <th scope="col">{t('item.currentDue')}</th>
                <th scope="col">{t('item.status')}</th>
                <th scope="col">{t('checkIn.note')}</th>
              </tr>
            </thead>
            <tbody>
              {d.instructions.map((i) => (
                <tr class={i.fromPrevious ? 'from-previous' : undefined}>
                  <td>
                    <ItemCell c={c} i={i} />
                    {i.specialControl && <span class="badge special"> {t('checkIn.specialControl')}</span>}
                    {!i.fromPrevious && <span class="muted"> · {t('checkIn.olderInstruction')}</span>}
                  </td>
                  <td>{agencyName(c, i.agencyId)}</td>
                  <td>{formatDate(i.due, locale)}</td>
                  <td>
                    <StatusBadge status={i.status} overdue={i.overdue} t={t} />
                  </td>
                  <td>{noteOf.get(i.id)?.body ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
          extra={{ head: t('action.reason'), cell: (i) => i.reason ?? '' }}
        />
      </section>

      <section aria-labelledby="dg-red">
        <h2 id="dg-red">{t('checkIn.redList')}</h2>
        {d.redList.length === 0 ? (
          <p class="muted">{t('checkIn.none')}</p>
        ) : (
          <table class="red-list">
            <thead>
              <tr>
                <th scope="col">{t('item.escalation')}</th>
                <th scope="col">{t('item.title')}</th>
                <th scope="col">{t('item.agency')}</th>
                <th scope="col">{t('item.currentDue')}</th>
                {/* Snapshots from before lateness had one unit counted calendar days. */}
                <th scope="col">
                  {t(d.latenessUnit ? 'checkIn.daysOverdue' : 'checkIn.daysOverdueCalendar')}
                </th>
                <th scope="col">{t('checkIn.note')}</th>
              </tr>
            </thead>
            <tbody>
              {d.redList.map((r) => (
                <tr class={`level-${r.escalationLevel}`}>
                  <td>{r.escalationLevel}</td>
                  <td>
                    <ItemCell c={c} i={r} />
                  </td>
                  <td>{agencyName(c, r.agencyId)}</td>
                  <td>{formatDate(r.due, locale)}</td>
                  <td>{r.daysOverdue}</td>
                  <td>{noteOf.get(r.id)?.body ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="dg-upcoming">
        <h2 id="dg-upcoming">{t('checkIn.upcoming')}</h2>
        <ItemTable c={c} items={d.upcoming} />
      </section>

      <section aria-labelledby="dg-league">
        <h2 id="dg-league">{t('checkIn.league')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('checkIn.rank')}</th>
              <th scope="col">{t('item.agency')}</th>
              <th scope="col">{t('checkIn.total')}</th>
              <th scope="col">{t('checkIn.done')}</th>
              <th scope="col">{t('checkIn.overdue')}</th>
              <th scope="col">{t('checkIn.onTrack')}</th>
              <th scope="col">{t('checkIn.notesGiven')}</th>
            </tr>
          </thead>
          <tbody>
            {d.league.map((l) => (
              <tr>
                <td>{l.rank}</td>
                <td>{agencyName(c, l.agencyId)}</td>
                <td>{l.total}</td>
                <td>{l.done}</td>
                <td>{l.overdue}</td>
                <td>{pct(l.onTrackRate)}</td>
                <td>{l.notesRequested ? `${l.notesGiven}/${l.notesRequested}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="dg-ls">
        <h2 id="dg-ls">{t('checkIn.lifeSituations')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('item.lifeSituation')}</th>
              <th scope="col">{t('checkIn.total')}</th>
              <th scope="col">{t('checkIn.done')}</th>
              <th scope="col">{t('checkIn.overdue')}</th>
            </tr>
          </thead>
          <tbody>
            {d.lifeSituations.map((l) => (
              <tr>
                <td>{locale === 'en' ? l.titleEn : l.titleRu}</td>
                <td>{l.total}</td>
                <td>{l.done}</td>
                <td>{l.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="dg-kpi">
        <h2 id="dg-kpi">{t('checkIn.kpis')}</h2>
        {d.kpis.length === 0 ? (
          <p class="muted">{t('checkIn.none')}</p>
        ) : (
          <table class="kpi-trajectory">
            <thead>
              <tr>
                <th scope="col">{t('checkIn.indicator')}</th>
                <th scope="col">{t('checkIn.trajectory')}</th>
              </tr>
            </thead>
            <tbody>
              {d.kpis.map((k) => (
                <tr>
                  <td>
                    {locale === 'en' ? k.titleEn : k.titleRu} <span class="muted">({k.unit})</span>
                  </td>
                  <td>
                    {k.points.map((p) => `${p.period}: ${p.actual ?? '—'} / ${p.plan ?? '—'}`).join(' → ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
                    {n.author ? `, ${n.author}` : ''}
                  </span>
                </dt>
                <dd>{n.body}</dd>
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
      <table>
        <thead>
          <tr>
            <th scope="col">{t('checkIn.xlsx.metric')}</th>
            <th scope="col">{t('checkIn.before')}</th>
            <th scope="col">{t('checkIn.after')}</th>
            <th scope="col">Δ</th>
          </tr>
        </thead>
        <tbody>
          {diff.counts.map((x) => (
            <tr>
              <td>{t(`checkIn.${x.key}`)}</td>
              <td>{x.before}</td>
              <td>{x.after}</td>
              <td class={x.delta === 0 ? 'muted' : undefined}>
                {x.delta > 0 ? `+${x.delta}` : String(x.delta)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
