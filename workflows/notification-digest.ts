import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createDigestActivities } from '../activities/notifications/digest.ts';
import { instantToLocalDate } from '../domain/local-date.ts';
import type { NotificationDigestInput } from './definitions.ts';

type DigestActivities = ReturnType<typeof createDigestActivities>;

const acts = proxyActivities<DigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Set by the Schedule on every run it starts: the nominal time, not the possibly later actual start. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * The daily notification digest, started by its Temporal Schedule (app/notifications/digest-schedule.ts):
 * one activity that sends every digest reader their waiting notices as one email. The day is the scheduled
 * time's (a catch-up run after an outage still writes the digest of the day it stood for).
 */
export async function notificationDigest(input: NotificationDigestInput) {
  const scheduled = workflowInfo().typedSearchAttributes.get(SCHEDULED_START);
  const at = scheduled ? new Date(scheduled).getTime() : workflowInfo().startTime.getTime();
  return acts.sendDailyDigests({ day: instantToLocalDate(at, input.utcOffsetMinutes) });
}
