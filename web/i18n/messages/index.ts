import checkin from './checkin.ts';
import core from './core.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [core, checkin] as const;
