import core from './core.ts';
import items from './items.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [core, items] as const;
