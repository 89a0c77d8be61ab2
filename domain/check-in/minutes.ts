import { isWorkingDay, precedingWorkingDay } from '../calendar/index.ts';
import { validation, type ErrorDetail } from '../errors.ts';
import { isLocalDate, type LocalDate } from '../local-date.ts';

/** One row of the minutes. With a responsible agency and a deadline it is an instruction (поручение). */
export interface DecisionInput {
  text: string;
  agencyId: number | null;
  coAgencyIds: number[];
  due: LocalDate | null;
  /**
   * Особый контроль: reported in every digest until done, not only in the next one. Only instructions
   * carry it.
   */
  specialControl: boolean;
}

export interface MinutesInput {
  minutes: string;
  decisions: DecisionInput[];
}

export interface Problem {
  field: string;
  key: string;
  params?: ErrorDetail['params'];
}

export const MAX_MINUTES = 20_000;
export const MAX_DECISION = 2_000;
export const MAX_DECISIONS = 50;

export const isInstruction = (d: DecisionInput) => d.agencyId !== null;

const TITLE_MAX = 300;

/** An instruction's title: its first line, cut at a word near TITLE_MAX characters. */
export function instructionTitle(text: string): string {
  const line = text.split('\n')[0]!.trim();
  if (line.length <= TITLE_MAX) return line;
  const cut = line.slice(0, TITLE_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), TITLE_MAX - 40))}…`;
}

/**
 * One decision: its problems (fields named by `f`) and the normalised row, or null for an empty row. With
 * a responsible agency, co-executors, a deadline or special control it is an instruction: it needs the
 * agency and a deadline after `after` (the meeting day; today for an instruction given outside a meeting);
 * a deadline on a non-working day moves to the preceding working day.
 */
export function checkDecision(
  d: DecisionInput,
  f: (name: string) => string,
  after: LocalDate,
): { problems: Problem[]; value: DecisionInput } | null {
  const problems: Problem[] = [];
  const text = d.text.trim();
  const empty =
    !text && d.agencyId === null && d.coAgencyIds.length === 0 && d.due === null && !d.specialControl;
  if (empty) return null;
  if (!text) problems.push({ field: f('text'), key: 'error.field.required' });
  else if (text.length > MAX_DECISION) {
    problems.push({ field: f('text'), key: 'error.field.tooLong', params: { max: MAX_DECISION } });
  }
  const wantsInstruction =
    d.agencyId !== null || d.coAgencyIds.length > 0 || d.due !== null || d.specialControl;
  let due: LocalDate | null = null;
  if (wantsInstruction) {
    if (d.agencyId === null) problems.push({ field: f('agency'), key: 'error.checkIn.agencyRequired' });
    if (d.due === null) problems.push({ field: f('due'), key: 'error.field.date' });
    else if (!isLocalDate(d.due)) problems.push({ field: f('due'), key: 'error.field.date' });
    else {
      due = isWorkingDay(d.due) ? d.due : precedingWorkingDay(d.due);
      if (due <= after) {
        problems.push({ field: f('due'), key: 'error.checkIn.dueAfterMeeting', params: { date: after } });
      }
    }
    if (d.agencyId !== null && d.coAgencyIds.includes(d.agencyId)) {
      problems.push({ field: f('coAgencies'), key: 'error.checkIn.coIsResponsible' });
    }
  }
  return {
    problems,
    value: {
      text,
      agencyId: wantsInstruction ? d.agencyId : null,
      coAgencyIds: wantsInstruction ? [...new Set(d.coAgencyIds)] : [],
      due,
      specialControl: wantsInstruction && d.specialControl,
    },
  };
}

/**
 * Every problem of the minutes at once (the form shows each next to its field), and the normalised input:
 * texts trimmed, empty rows dropped, deadlines on a non-working day moved to the preceding working day.
 * Deadlines must fall after the meeting day.
 */
export function checkMinutes(
  input: MinutesInput,
  ctx: { meetingDate: LocalDate },
): { problems: Problem[]; value: MinutesInput } {
  const problems: Problem[] = [];
  const minutes = input.minutes.trim();
  if (minutes.length > MAX_MINUTES) {
    problems.push({ field: 'minutes', key: 'error.field.tooLong', params: { max: MAX_MINUTES } });
  }
  const decisions: DecisionInput[] = [];
  input.decisions.forEach((d, i) => {
    const checked = checkDecision(d, (name) => `decisions.${i}.${name}`, ctx.meetingDate);
    if (!checked) return;
    problems.push(...checked.problems);
    decisions.push(checked.value);
  });
  if (decisions.length > MAX_DECISIONS) {
    problems.push({
      field: 'decisions',
      key: 'error.checkIn.tooManyDecisions',
      params: { max: MAX_DECISIONS },
    });
  }
  if (!minutes && decisions.length === 0)
    problems.push({ field: 'minutes', key: 'error.checkIn.minutesEmpty' });
  return { problems, value: { minutes, decisions } };
}

/** The same rules as a single error: what the workflow's synchronous Update validator needs. */
export function validateMinutes(input: MinutesInput, ctx: { meetingDate: LocalDate }): MinutesInput {
  const { problems, value } = checkMinutes(input, ctx);
  const first = problems[0];
  if (first) throw validation(first.field, first.key, `minutes: ${first.field} ${first.key}`, first.params);
  return value;
}
