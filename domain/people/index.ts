export * from './assignment.ts';
export * from './instruction.ts';
export * from './week.ts';
export * from './decisions.ts';
