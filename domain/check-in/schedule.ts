import { validation } from '../errors.ts';
import { parseHhMm } from '../local-date.ts';
import type { MeetingSlot } from './timeline.ts';

/** The working group's settings of one roadmap's weekly check-in (table check_in_schedule). */
export interface CheckInScheduleSettings {
  roadmapId: number;
  slot: MeetingSlot;
  requestWorkingDaysBefore: number;
  paused: boolean;
}

export const MEETING_WEEKDAYS = [1, 2, 3, 4, 5] as const;

export const formatMinute = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * The settings form → settings, or a validation error naming the field. Meetings are held on weekdays;
 * a weekday that is a holiday is skipped by the workflow (docs/decisions.md §13).
 */
export function parseScheduleForm(form: Record<string, unknown>): Omit<CheckInScheduleSettings, 'paused'> {
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
  const roadmapId = Number(str('roadmapId'));
  if (!Number.isSafeInteger(roadmapId) || roadmapId <= 0) {
    throw validation('roadmapId', 'error.field.required', 'roadmapId is required');
  }
  const weekday = Number(str('weekday'));
  if (!(MEETING_WEEKDAYS as readonly number[]).includes(weekday)) {
    throw validation('weekday', 'error.checkIn.weekday', 'weekday must be 1 (Monday) … 5 (Friday)');
  }
  let minute: number;
  try {
    minute = parseHhMm(str('time'));
  } catch {
    throw validation('time', 'error.checkIn.time', 'time must be HH:MM');
  }
  if (minute < 8 * 60 || minute > 20 * 60) {
    throw validation('time', 'error.checkIn.timeRange', 'the meeting must be between 08:00 and 20:00');
  }
  const days = Number(str('requestDays'));
  if (!Number.isInteger(days) || days < 1 || days > 5) {
    throw validation('requestDays', 'error.checkIn.requestDays', 'requestDays must be 1…5', {
      min: 1,
      max: 5,
    });
  }
  return { roadmapId, slot: { weekday, minute }, requestWorkingDaysBefore: days };
}
