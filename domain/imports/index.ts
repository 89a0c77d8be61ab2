export * from './types.ts';
export * from './columns.ts';
export * from './deadline.ts';
export * from './references.ts';
export * from './roadmap-sheet.ts';
export * from './roadmap-plan.ts';
export * from './sniff.ts';
export { cellText, columnLetter, normalizeText } from './text.ts';
export * from './reading.ts';
