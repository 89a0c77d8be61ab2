import core from './core.ts';
import dashboards from './dashboards.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [core, dashboards] as const;
