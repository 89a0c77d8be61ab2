import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { getCheckIn } from '../../../db/read-models/index.ts';
import { notFound, validation } from '../../../domain/errors.ts';
import { instantToLocalDate } from '../../../domain/local-date.ts';
import type { CheckInScheduleConfig } from '../../../app/check-ins/index.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue } from '../../forms.ts';
import type { Translate } from '../../i18n/index.ts';

export type CheckIn = NonNullable<Awaited<ReturnType<typeof getCheckIn>>>;
export type Values = Record<string, string | string[]>;

export const DEFAULT_ROWS = 5;

export const scheduleCfg = (c: Context<AppEnv>): CheckInScheduleConfig => ({
  timeZone: c.var.deps.config.timeZone,
  utcOffsetMinutes: c.var.deps.policy.utcOffsetMinutes,
});

export const str = (v: unknown) =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
export const eventIdOf = (v: unknown) =>
  typeof v === 'string' && /^[\w-]{8,64}$/.test(v) ? v : randomUUID();

export function roadmapIdOf(body: Record<string, unknown>): number {
  const n = Number(fieldValue(body, 'roadmapId'));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw validation('roadmapId', 'error.field.required', 'roadmapId is required');
  return n;
}

export async function loadCheckIn(c: Context<AppEnv>, id: number): Promise<CheckIn> {
  const ci = await getCheckIn(c.var.deps.db, id);
  if (!ci) throw notFound('error.checkIn.notFound', `check-in ${id} not found`);
  return ci;
}

export const meetingDateOf = (c: Context<AppEnv>, ci: { meeting_at: Date }) =>
  instantToLocalDate(ci.meeting_at.getTime(), c.var.deps.policy.utcOffsetMinutes);

export const describedBy = (id: string, error?: string) => (error ? `${id}-error` : undefined);

export function StatusTag({ status, t }: { status: string; t: Translate }) {
  return <span class={`badge check-in-${status}`}>{t(`checkIn.status.${status}`)}</span>;
}

// ---- /check-ins: history and the schedule settings ---------------------------------------------------
