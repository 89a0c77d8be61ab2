// What the service pages share: the project-office guard and loading a service or a check.
import type { Context } from 'hono';
import { getCheck, getService, serviceTitle } from '../../../db/read-models/index.ts';
import { ShtabError } from '../../../domain/errors.ts';
import { requireRole } from '../../auth/index.ts';
import type { AppEnv } from '../../env.ts';

export const projectOffice = requireRole('working_group', 'admin');
export const canManage = (c: Context<AppEnv>) => {
  const r = c.var.user?.role;
  return r === 'working_group' || r === 'admin';
};

export async function loadService(c: Context<AppEnv>, id: number) {
  const s = await getService(c.var.deps.db, id);
  if (!s) throw new ShtabError('not_found', `service ${id} not found`, { key: 'error.svc.notFound' });
  return s;
}

export type Check = NonNullable<Awaited<ReturnType<typeof getCheck>>>;

export async function loadCheck(c: Context<AppEnv>, id: number): Promise<Check> {
  const ch = await getCheck(c.var.deps.db, id);
  if (!ch) throw new ShtabError('not_found', `check ${id} not found`, { key: 'error.svc.check.notFound' });
  return ch;
}

export async function loadServiceTitle(c: Context<AppEnv>, id: number) {
  const s = await serviceTitle(c.var.deps.db, id);
  if (!s) throw new ShtabError('not_found', `service ${id} not found`, { key: 'error.svc.notFound' });
  return s;
}
