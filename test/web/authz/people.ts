import type { RouteCase } from './types.ts';

// Issue 13: the homes, the leadership's instructions, assignments and sign-off inside an agency, comments,
// the working group's bulk actions. Posts carry invalid input: who may act gets 422 (or 409 when the state
// does not allow it now), everyone else 403 before the input is looked at.

const office = { admin: 422, working_group: 422 };
const instructionGivers = { ...office, leadership: 422 };

export const PEOPLE_ROUTES: RouteCase[] = [
  {
    method: 'GET',
    pattern: '/dashboard',
    path: () => '/dashboard',
    expect: { anonymous: 303 },
    otherwise: 200,
  },
  {
    method: 'GET',
    pattern: '/instructions/new',
    path: (f) => `/instructions/new?source=${f.itemId}`,
    expect: { anonymous: 303, admin: 200, working_group: 200, leadership: 200 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/instructions',
    path: () => '/instructions',
    form: (_p, f) => ({ text: '', agencyId: String(f.ownAgencyId), due: '' }),
    expect: { anonymous: 401, ...instructionGivers },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/assign',
    path: (f) => `/items/${f.itemId}/assign`,
    form: { assigneeUserId: '', internalDue: '' },
    // Only the responsible agency's head assigns inside it.
    expect: { anonymous: 401, agency_head: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/assign',
    path: (f) => `/items/${f.items.otherItemId}/assign`,
    form: { assigneeUserId: '', internalDue: '' },
    // An agency head cannot assign another agency's item.
    expect: { anonymous: 401 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/signoff',
    path: (f) => `/items/${f.itemId}/signoff`,
    form: { outcome: 'approve' },
    // No report waits for a sign-off: "not now" for its head, "never" for everyone else.
    expect: { anonymous: 401, agency_head: 409 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/direction',
    path: (f) => `/items/${f.itemId}/direction`,
    form: { direction: 'NO-SUCH-DIRECTION' },
    // The working group sets a measure's direction (issue 16); everyone else is refused before the value.
    expect: { anonymous: 401, ...office },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/comments',
    path: (f) => `/items/${f.itemId}/comments`,
    form: { body: '' },
    // The item's agencies, the working group and the leadership take part; observers and strangers not.
    expect: { anonymous: 401, ...instructionGivers, agency_head: 422, agency_executor: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/comments',
    path: (f) => `/items/${f.items.otherItemId}/comments`,
    form: { body: '' },
    expect: { anonymous: 401, ...instructionGivers, other_agency_executor: 422 },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/items/:id/reassign',
    path: (f) => `/items/${f.items.instructionItemId}/reassign`,
    form: { agencyId: '', reason: '' },
    // A leadership instruction is never edited by the agencies it is addressed to.
    expect: { anonymous: 401, ...office },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/review/accept',
    path: () => '/review/accept',
    form: { back: '/review' },
    expect: { anonymous: 401, ...office },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/review/remind',
    path: () => '/review/remind',
    form: { back: '/' },
    expect: { anonymous: 401, ...office },
    otherwise: 403,
  },
  {
    method: 'POST',
    pattern: '/review/threshold',
    path: () => '/review/threshold',
    form: { threshold: 'много' },
    expect: { anonymous: 401, ...office },
    otherwise: 403,
  },
];
