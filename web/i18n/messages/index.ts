import api from './api.ts';
import core from './core.ts';
import imports from './imports.ts';
import items from './items.ts';
import services from './services.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [core, items, services, imports, api] as const;
