import accounts from './accounts.ts';
import api from './api.ts';
import checkIn from './check-in.ts';
import controlDates from './control-dates.ts';
import core from './core.ts';
import dashboards from './dashboards.ts';
import feedback from './feedback.ts';
import imports from './imports.ts';
import input from './input.ts';
import items from './items.ts';
import services from './services.ts';

// Register each feature's messages here (one line per module).
export const MODULES = [
  core,
  items,
  services,
  dashboards,
  checkIn,
  imports,
  api,
  input,
  controlDates,
  accounts,
  feedback,
] as const;
