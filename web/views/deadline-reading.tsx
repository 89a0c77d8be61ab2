import type { DeadlineReading, DeadlineSpec } from '../../domain/imports/index.ts';
import { RECURRENCE_DUE_DAYS } from '../../domain/imports/index.ts';
import { formatDate, type Locale, type Translate } from '../i18n/index.ts';
import { DataTable } from './table.tsx';

/**
 * A deadline cell as the import read it, in words: "ежеквартально, до 10-го числа месяца после квартала,
 * без даты окончания — первый срок 11.01.2027".
 */
export function describeDeadline(spec: DeadlineSpec, firstDue: string, t: Translate, locale: Locale): string {
  if (spec.kind === 'date') {
    return spec.written
      ? t('reading.moved', { date: formatDate(spec.due, locale), written: formatDate(spec.written, locale) })
      : t('reading.date', { date: formatDate(spec.due, locale) });
  }
  const parts = [t(`reading.every.${spec.every}`)];
  if (spec.dueDay) {
    parts.push(t(`reading.day.${spec.dueMonthOffset ? 'next' : 'same'}.${spec.every}`, { day: spec.dueDay }));
  } else if (spec.dueWorkingDays) {
    parts.push(t('reading.workingDay', { n: spec.dueWorkingDays }));
  } else {
    parts.push(t('reading.defaultWorkingDay', { n: RECURRENCE_DUE_DAYS[spec.every] }));
  }
  parts.push(
    spec.until ? t('reading.until', { date: formatDate(spec.until, locale) }) : t('reading.openEnded'),
  );
  if (spec.openEnded) parts.push(t('reading.fromOpenEnded'));
  return `${parts.join(', ')} → ${t('reading.first', { date: formatDate(firstDue, locale) })}`;
}

/** Per row of the file: what its deadline cell said and how it was read. Folded: a roadmap has hundreds. */
export function DeadlineReadings({
  readings,
  t,
  locale,
}: {
  readings: DeadlineReading[];
  t: Translate;
  locale: Locale;
}) {
  // Cadences first: they are the readings worth a look.
  const recurring = readings.some((r) => r.spec.kind === 'recurring');
  return (
    <section class="deadline-readings">
      <h2>{t('imports.readings.title')}</h2>
      <details open={recurring || readings.length <= 20 || undefined}>
        <summary>{t('imports.readings.summary', { count: readings.length })}</summary>
        <DataTable
          rows={readings}
          empty={null}
          rowClass={(r) => (r.spec.kind === 'recurring' ? 'recurring' : undefined)}
          columns={[
            { label: t('imports.readings.row'), class: 'num', cell: (r) => r.row },
            { label: t('imports.readings.number'), cell: (r) => r.number },
            { label: t('imports.readings.written'), cell: (r) => r.written },
            {
              label: t('imports.readings.read'),
              cell: (r) => describeDeadline(r.spec, r.firstDue, t, locale),
            },
          ]}
        />
      </details>
    </section>
  );
}
