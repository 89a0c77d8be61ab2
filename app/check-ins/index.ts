// The weekly check-in: its Schedules (one per roadmap, from the working group's settings), the minutes
// that turn decisions into instructions, and the agencies' status notes.
export * from './schedules.ts';
export * from './minutes.ts';
export * from './use-cases.ts';
