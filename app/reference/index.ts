// Reference data the project office keeps itself (issue 15 item 1): agencies (with merges), people,
// life situations, roadmaps, service curators, the working group's and штаб's composition, and onboarding
// from files. Every write is audited (event rows without an item; the audit page lists them).
export {
  AGENCY_REFERENCES,
  createAgency,
  mergeAgencies,
  setAgencyDisabled,
  updateAgency,
  type MergeResult,
} from './agencies.ts';
export { createPerson, setPersonDisabled, updatePerson } from './people.ts';
export { saveLifeSituation, saveRoadmap } from './programme.ts';
export { CURATOR_COLUMNS, importCurators, setCurator, setCuratorByLogin } from './curators.ts';
export { addCommitteeMember, removeCommitteeMember, replaceCommittee } from './committee.ts';
export {
  AGENCY_COLUMNS,
  importAgencies,
  importPeople,
  PERSON_COLUMNS,
  type OnboardingResult,
} from './onboarding.ts';
export { requireAdmin, requireProjectOffice, type Outcome } from './shared.ts';
export type { FileOutcome, ImportIssue } from './table-import.ts';
