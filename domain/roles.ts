export const ROLES = [
  'admin',
  'working_group',
  'leadership',
  'agency_head',
  'agency_executor',
  'observer',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: carried into every Temporal Update so the workflow can check it too. */
export interface Actor {
  userId: number;
  role: Role;
  agencyId: number | null;
}

export const SYSTEM_ACTOR: Actor = { userId: 0, role: 'admin', agencyId: null };

export const isAgencyRole = (role: Role) => role === 'agency_head' || role === 'agency_executor';
export const isProjectOffice = (role: Role) => role === 'working_group' || role === 'admin';
