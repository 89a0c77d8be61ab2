import { isLocalDate } from '../../../domain/local-date.ts';
import { formatDate, formatDateTime, hasKey } from '../../i18n/index.ts';
import { UserText } from '../components.tsx';
import { agencyName, directionName, type ItemView, type TimelineEvent } from './types.ts';

type Bag = Record<string, unknown>;
const bag = (x: unknown): Bag => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Bag) : {});
const text = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x : null);
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const ids = (x: unknown) => (Array.isArray(x) ? x.filter((a): a is number => typeof a === 'number') : []);

/** The facts of one event worth a line: dates, levels, agencies, counts. Reasons are shown apart. */
function details(e: TimelineEvent, v: ItemView): string[] {
  const { t, locale } = v;
  const data = bag(e.data);
  const before = bag(e.before);
  const after = bag(e.after);
  const date = (x: unknown) => (isLocalDate(x) ? formatDate(x, locale) : null);
  const out: (string | null)[] = [];
  switch (e.type) {
    case 'chase.reminder': {
      const offset = num(data.offset);
      out.push(
        offset === null || offset === 0
          ? t('timeline.reminder.dueToday')
          : t('timeline.reminder.daysBefore', { days: offset }),
      );
      const due = date(after.currentDue);
      if (due) out.push(t('timeline.due', { date: due }));
      break;
    }
    case 'chase.overdue':
    case 'chase.escalation': {
      const level = num(data.level) ?? (e.type === 'chase.overdue' ? 1 : null);
      if (level !== null) out.push(t('timeline.level', { level, who: t(`escalation.level.${level}`) }));
      const due = date(after.currentDue);
      if (due) out.push(t('timeline.due', { date: due }));
      break;
    }
    case 'chase.repeat': {
      const due = date(after.currentDue);
      if (due) out.push(t('timeline.due', { date: due }));
      break;
    }
    case 'submitted':
    case 'part_submitted': {
      const files = ids(data.attachmentIds).length;
      const links = Array.isArray(data.links) ? data.links.length : 0;
      if (files) out.push(t('timeline.files', { n: files }));
      if (links) out.push(t('timeline.links', { n: links }));
      break;
    }
    case 'returned':
    case 'reopened': {
      // Since the control date is fixed a return records the rework due date apart; before, its new
      // deadline was the current one.
      const rework = date(after.reworkDue);
      const due = rework ?? date(after.currentDue) ?? date(data.newDue);
      if (due) out.push(t('timeline.reworkDue', { date: due }));
      const control = date(after.currentDue);
      if (rework && control) out.push(t('control.timeline.controlDate', { date: control }));
      break;
    }
    case 'control_date_restored': {
      const control = date(after.currentDue);
      const moved = date(before.currentDue);
      if (control) out.push(t('control.timeline.controlDate', { date: control }));
      if (moved) out.push(t('control.timeline.wasMoved', { date: moved }));
      break;
    }
    case 'extension_requested': {
      const requested = date(data.requestedDue) ?? date(after.pendingExtension);
      if (requested) out.push(t('timeline.requestedDue', { date: requested }));
      break;
    }
    case 'extension_approved': {
      const due = date(after.currentDue);
      if (due) out.push(t('timeline.newDue', { date: due }));
      const asked = date(before.pendingExtension);
      if (asked && asked !== due) out.push(t('control.asked', { date: asked }));
      break;
    }
    case 'reassigned': {
      if (before.agencyId !== after.agencyId && after.agencyId !== undefined) {
        out.push(
          t('timeline.reassigned', {
            from: agencyName(v, before.agencyId),
            to: agencyName(v, after.agencyId),
          }),
        );
      }
      const co = ids(after.coAgencyIds);
      if (co.length) out.push(t('timeline.coAgencies', { list: co.map((a) => agencyName(v, a)).join(', ') }));
      break;
    }
    case 'assignment.created': {
      const who = text(data.assignee);
      const due = date(data.internalDue);
      if (who) out.push(t('timeline.assignee', { who }));
      if (due) out.push(t('timeline.internalDue', { date: due }));
      break;
    }
    case 'assignment.chase.reminder':
    case 'assignment.chase.overdue':
    case 'assignment.chase.repeat': {
      const due = date(data.internalDue);
      if (due) out.push(t('timeline.internalDue', { date: due }));
      break;
    }
    case 'direction.changed': {
      out.push(
        t('timeline.direction', {
          from: directionName(v, before.direction) ?? t('item.direction.none'),
          to: directionName(v, after.direction) ?? t('item.direction.none'),
        }),
      );
      break;
    }
    case 'period_closed': {
      const period = text(before.periodKey);
      if (period) out.push(t('timeline.period', { period }));
      break;
    }
  }
  return out.filter((x): x is string => x !== null);
}

export function Timeline({ v }: { v: ItemView }) {
  const { t, locale } = v;
  if (v.timeline.length === 0) return <p class="muted">{t('timeline.empty')}</p>;
  return (
    <ol class="timeline">
      {v.timeline.map((e) => {
        const data = bag(e.data);
        const reason = text(data.reason) ?? text(data.note) ?? text(data.comment);
        const facts = details(e, v);
        const labelKey = `event.${e.type}`;
        return (
          <li class={`event event-${e.type.replace(/[^a-z_]/g, '-')}`}>
            <time datetime={e.at.toISOString()}>{formatDateTime(e.at, locale, v.timeZone)}</time>{' '}
            <strong>{hasKey(labelKey) ? t(labelKey) : e.type}</strong>
            {' — '}
            <span class="actor">{e.actor_name ? <UserText text={e.actor_name} /> : t('event.system')}</span>
            {facts.length > 0 && <span class="event-facts"> · {facts.join(' · ')}</span>}
            {reason && (
              <p class="event-reason">
                <span class="muted">
                  {!text(data.reason) && (text(data.note) || text(data.comment))
                    ? t('timeline.note')
                    : t('timeline.reason')}
                  :{' '}
                </span>
                <UserText text={reason} />
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
