import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { serviceCheckRoutes } from './checks.tsx';
import { serviceRoutes as registerRoutes } from './register.tsx';
import { serviceScoreRoutes } from './scores.tsx';

export { canManage, projectOffice } from './shared.tsx';

/** /services: the register, low-scoring services and improvements, score imports, checks. */
export function serviceRoutes() {
  const app = new Hono<AppEnv>();
  // Static paths (low-scoring, checks, scores) before the register's /:id.
  app.route('/', serviceScoreRoutes());
  app.route('/', serviceCheckRoutes());
  app.route('/', registerRoutes());
  return app;
}
