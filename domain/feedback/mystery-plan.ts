import { isWorkingDay } from '../calendar/index.ts';
import { addDays, type LocalDate } from '../local-date.ts';
import { monthsOfPeriod } from './period.ts';

/**
 * A quarter's mystery-shopping plan for a group of services (a life situation's, an agency's): one check
 * per service, spread evenly over the quarter's working days from `from` on, assigned to the checkers in
 * turn (each gets a fair share). Pure: the same inputs give the same plan.
 */
export function planChecks(o: {
  quarter: string;
  from: LocalDate;
  serviceIds: readonly number[];
  checkerIds: readonly number[];
}): { serviceId: number; scheduledOn: LocalDate; checkerId: number }[] {
  if (o.serviceIds.length === 0 || o.checkerIds.length === 0) return [];
  const months = monthsOfPeriod(o.quarter);
  const first = `${months[0]}-01`;
  const last = addDays(`${addMonth(months[2]!)}-01`, -1);
  const days: LocalDate[] = [];
  for (let d = first > o.from ? first : o.from; d <= last; d = addDays(d, 1))
    if (isWorkingDay(d)) days.push(d);
  if (days.length === 0) return [];
  return o.serviceIds.map((serviceId, i) => ({
    serviceId,
    scheduledOn: days[Math.floor((i * days.length) / o.serviceIds.length)]!,
    checkerId: o.checkerIds[i % o.checkerIds.length]!,
  }));
}

const addMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** Overdue checks are chased once a week per check: the key of the week a chase belongs to. */
export const chaseWeekKey = (today: LocalDate) => {
  const d = new Date(`${today}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
  return monday.toISOString().slice(0, 10);
};
