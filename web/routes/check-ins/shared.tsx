// What the check-in pages share: loading a check-in, its meeting date, the status tag.
import type { Context } from 'hono';
import { getCheckIn } from '../../../db/read-models/index.ts';
import { notFound, validation } from '../../../domain/errors.ts';
import { instantToLocalDate } from '../../../domain/local-date.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, type FormValues } from '../../forms.ts';
import type { Translate } from '../../i18n/index.ts';

export type CheckIn = NonNullable<Awaited<ReturnType<typeof getCheckIn>>>;
export type Values = Record<string, string | string[]>;

export const DEFAULT_ROWS = 5;

export function roadmapIdOf(body: FormValues): number {
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

export function StatusTag({ status, t }: { status: string; t: Translate }) {
  return <span class={`badge check-in-${status}`}>{t(`checkIn.status.${status}`)}</span>;
}
