import { checkDecision, type DecisionInput, type Problem } from '../check-in/minutes.ts';
import type { LocalDate } from '../local-date.ts';

// An instruction (поручение) given by leadership outside the minutes: from an item, a red-list row or a
// meeting page. The same rules as an instruction in the minutes, except that every field is required and
// the deadline must fall after today.

export interface InstructionInput extends DecisionInput {}

/** Every problem at once, by field (text, agency, coAgencies, due), and the normalised instruction. */
export function checkInstruction(
  input: InstructionInput,
  ctx: { today: LocalDate },
): { problems: Problem[]; value: InstructionInput & { agencyId: number; due: LocalDate } } {
  // Treated as an instruction even when the form came empty: the agency and the deadline are required.
  const checked = checkDecision({ ...input, specialControl: input.specialControl }, (n) => n, ctx.today) ?? {
    problems: [{ field: 'text', key: 'error.field.required' }],
    value: input,
  };
  const problems = checked.problems.map((p) =>
    p.key === 'error.checkIn.dueAfterMeeting' ? { ...p, key: 'error.instruction.dueAfterToday' } : p,
  );
  const v = checked.value;
  if (v.agencyId === null && !problems.some((p) => p.field === 'agency'))
    problems.push({ field: 'agency', key: 'error.checkIn.agencyRequired' });
  if (v.due === null && !problems.some((p) => p.field === 'due'))
    problems.push({ field: 'due', key: 'error.field.date' });
  return { problems, value: { ...v, agencyId: v.agencyId ?? 0, due: v.due ?? ctx.today } };
}
