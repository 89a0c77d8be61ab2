import { optionalText, type Problems } from './fields.ts';

// The interagency working group («межведомственная рабочая группа») and the штаб: who sits on them.
// A seat is a person (a Shtab user, or a name for an outside expert) or an agency taking part as a body
// (municipalities, federal bodies).

export const COMMITTEE_BODIES = ['working_group', 'shtab'] as const;
export type CommitteeBody = (typeof COMMITTEE_BODIES)[number];
export const COMMITTEE_ROLES = ['chair', 'secretary', 'member', 'expert', 'participant'] as const;
export type CommitteeRole = (typeof COMMITTEE_ROLES)[number];

export interface CommitteeMemberInput {
  body: CommitteeBody;
  role: CommitteeRole;
  userId: number | null;
  agencyId: number | null;
  /** Someone without an account (an invited expert). */
  name: string | null;
  position: string | null;
}

export function committeeMemberProblems(m: CommitteeMemberInput): Problems {
  const p: Problems = [];
  if (!(COMMITTEE_BODIES as readonly string[]).includes(m.body))
    p.push({ field: 'body', key: 'error.field.choice' });
  if (!(COMMITTEE_ROLES as readonly string[]).includes(m.role))
    p.push({ field: 'role', key: 'error.field.choice' });
  if (m.userId === null && m.agencyId === null && m.name === null)
    p.push({ field: 'userId', key: 'error.committee.who' });
  else if (m.userId !== null && m.name !== null) p.push({ field: 'name', key: 'error.committee.oneOf' });
  optionalText(p, 'name', m.name, 300);
  optionalText(p, 'position', m.position, 300);
  return p;
}
