import { describe, expect, it } from 'vitest';
import { ShtabError } from '../errors.ts';
import { checkMinutes, validateMinutes, type DecisionInput } from './minutes.ts';

const row = (d: Partial<DecisionInput>): DecisionInput => ({
  text: '',
  agencyId: null,
  coAgencyIds: [],
  due: null,
  specialControl: false,
  ...d,
});
const ctx = { meetingDate: '2025-03-21' };

describe('minutes of a check-in', () => {
  it('keeps plain decisions and instructions, drops empty rows, moves weekend deadlines back', () => {
    const { problems, value } = checkMinutes(
      {
        minutes: '  Заслушали доклады ведомств.  ',
        decisions: [
          row({ text: 'Принять к сведению информацию Минтруда' }),
          row({}),
          row({
            text: 'Представить план',
            agencyId: 3,
            coAgencyIds: [4, 4],
            due: '2025-03-30',
            specialControl: true,
          }),
        ],
      },
      ctx,
    );
    expect(problems).toEqual([]);
    expect(value.minutes).toBe('Заслушали доклады ведомств.');
    expect(value.decisions).toEqual([
      row({ text: 'Принять к сведению информацию Минтруда' }),
      // 30 March 2025 is a Sunday: the deadline is Friday 28 March.
      row({
        text: 'Представить план',
        agencyId: 3,
        coAgencyIds: [4],
        due: '2025-03-28',
        specialControl: true,
      }),
    ]);
  });

  it('reports every problem with its row and field', () => {
    const { problems } = checkMinutes(
      {
        minutes: '',
        decisions: [
          row({ agencyId: 2 }),
          row({ text: 'x', due: '2025-03-21' }),
          row({ text: 'y', agencyId: 5, coAgencyIds: [5], due: '2025-03-23' }),
          row({ text: 'z', agencyId: 5, due: 'завтра' }),
        ],
      },
      ctx,
    );
    expect(problems.map((p) => `${p.field} ${p.key}`)).toEqual([
      'decisions.0.text error.field.required',
      'decisions.0.due error.field.date',
      'decisions.1.agency error.checkIn.agencyRequired',
      'decisions.1.due error.checkIn.dueAfterMeeting',
      // Sunday 23 March moves back to Friday 21 March: the meeting day itself is too soon.
      'decisions.2.due error.checkIn.dueAfterMeeting',
      'decisions.2.coAgencies error.checkIn.coIsResponsible',
      'decisions.3.due error.field.date',
    ]);
  });

  it('needs minutes text or at least one decision; validateMinutes throws the first problem', () => {
    expect(checkMinutes({ minutes: ' ', decisions: [row({})] }, ctx).problems).toEqual([
      { field: 'minutes', key: 'error.checkIn.minutesEmpty' },
    ]);
    try {
      validateMinutes({ minutes: '', decisions: [row({ text: 'a', agencyId: 1 })] }, ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ShtabError);
      expect((e as ShtabError).code).toBe('validation');
      expect((e as ShtabError).detail.field).toBe('decisions.0.due');
    }
  });
});
