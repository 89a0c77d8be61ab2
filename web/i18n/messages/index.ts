import api from './api.ts';
import core from './core.ts';
import imports from './imports.ts';
import items from './items.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [core, items, imports, api] as const;
