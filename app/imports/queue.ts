import type { Logger } from 'pino';
import type { Db } from '../../db/index.ts';
import { roadmapExists } from '../../db/read-models/index.ts';
import { RECURRENCES, type Recurrence } from '../../domain/control-item/index.ts';
import { forbidden, type FieldIssue } from '../../domain/errors.ts';
import { sniffSpreadsheet } from '../../domain/imports/index.ts';
import { isProjectOffice, type Actor } from '../../domain/roles.ts';
import type { TemporalHandle } from '../temporal.ts';
import { enqueueRoadmapImport } from './jobs.ts';

const MAX_TITLE = 300;

export interface RoadmapUpload {
  /** An existing roadmap, or a new one with this title. */
  target: { roadmapId: number } | { newRoadmapTitle: string };
  /** The uploaded file (null: none was sent). */
  file: { name: string; bytes: Uint8Array } | null;
  actor: Actor;
  maxBytes: number;
  /** The cadence for open-ended rows («постоянно»): anything but monthly/quarterly/yearly refuses them. */
  openEndedEvery?: string | null;
}

/**
 * A roadmap file becomes an import job (working group and admin only): the target and the file are checked first (a wrong file type is
 * refused at once, before a job exists), then the job is queued and its workflow started. Every problem is
 * returned with its field; nothing is stored unless there are none.
 */
export async function queueRoadmapImport(
  deps: { db: Db; temporal: TemporalHandle; log: Logger },
  u: RoadmapUpload,
): Promise<{ ok: true; jobId: number } | { ok: false; problems: FieldIssue[] }> {
  if (!isProjectOffice(u.actor.role))
    throw forbidden('error.forbidden.projectOfficeOnly', 'only the working group may import');
  const problems: FieldIssue[] = [];
  let roadmapId: number | null = null;
  let newRoadmapTitle: string | null = null;
  if ('roadmapId' in u.target) {
    if (await roadmapExists(deps.db, u.target.roadmapId)) roadmapId = u.target.roadmapId;
    else problems.push({ field: 'roadmap', key: 'error.import.roadmapRequired' });
  } else {
    newRoadmapTitle = u.target.newRoadmapTitle.trim();
    if (!newRoadmapTitle)
      problems.push({ field: 'newRoadmapTitle', key: 'error.import.roadmapTitleRequired' });
    else if (newRoadmapTitle.length > MAX_TITLE)
      problems.push({ field: 'newRoadmapTitle', key: 'error.field.tooLong', params: { max: MAX_TITLE } });
  }
  const every = u.openEndedEvery ?? '';
  if (every !== '' && !(RECURRENCES as readonly string[]).includes(every))
    problems.push({ field: 'openEndedEvery', key: 'error.import.openEndedEvery' });
  const file = u.file;
  if (!file || file.bytes.byteLength === 0)
    problems.push({ field: 'file', key: 'error.import.fileRequired' });
  else if (file.bytes.byteLength > u.maxBytes) {
    problems.push({
      field: 'file',
      key: 'error.import.file.tooLarge',
      params: { mb: Math.round(u.maxBytes / 1024 / 1024) },
    });
  } else {
    const sniffed = sniffSpreadsheet(file.bytes);
    if (!sniffed.ok)
      problems.push({
        field: 'file',
        key: sniffed.issue.key,
        ...(sniffed.issue.params ? { params: sniffed.issue.params } : {}),
      });
  }
  if (problems.length > 0 || !file) return { ok: false, problems };
  const jobId = await enqueueRoadmapImport(deps, {
    roadmapId,
    newRoadmapTitle,
    filename: file.name,
    bytes: file.bytes,
    createdBy: u.actor.userId || null,
    openEndedEvery: every ? (every as Recurrence) : null,
  });
  return { ok: true, jobId };
}
