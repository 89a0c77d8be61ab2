import api from './api.ts';
import core from './core.ts';
import imports from './imports.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [core, imports, api] as const;
