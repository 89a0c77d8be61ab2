// Instructions (поручения) from the leadership: given from an item, a red-list row or a meeting.
export { giveInstruction, mayGiveInstructions, type GiveInstruction, type GiveResult } from './give.ts';
export { saveExtensionThreshold } from './threshold.ts';
