import { Hono } from 'hono';
import {
  agencyList,
  directions,
  itemExportRows,
  roadmapStatusRows,
  roadmapToExport,
  serviceRegisterRows,
} from '../../db/read-models/index.ts';
import { ShtabError } from '../../domain/errors.ts';
import { localized, readContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { writeItemList } from '../exports/items-xlsx.ts';
import { writeRoadmapStatus } from '../exports/roadmap-xlsx.ts';
import { agencyShort } from '../views/item-columns.tsx';
import { listFilters, parseListQuery } from './roadmap-list.tsx';
import { writeServiceRegister } from '../exports/services-xlsx.ts';
import { xlsxResponse } from '../exports/xlsx.ts';

/** XLSX downloads. Every signed-in role may read the roadmap and the register (decision 6). */
export function exportRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/roadmap-status.xlsx', async (c) => {
    const { db, log } = c.var.deps;
    const wanted = c.req.query('roadmap');
    const roadmap =
      wanted === undefined || /^\d{1,9}$/.test(wanted)
        ? await roadmapToExport(db, wanted === undefined ? undefined : Number(wanted))
        : undefined;
    if (!roadmap) throw new ShtabError('not_found', 'no such roadmap', { key: 'error.notFound' });
    const ctx = readContext(c);
    const { today } = ctx;
    const rows = await roadmapStatusRows(db, roadmap.id, ctx);
    return xlsxResponse(
      `${roadmap.code}-${today}.xlsx`,
      (wb) => writeRoadmapStatus(wb, roadmap, rows, today),
      (e) => log.error({ err: e }, 'roadmap export failed'),
    );
  });

  // The roadmap list as filtered and sorted on the page (the same query string), every page of it.
  app.get('/items.xlsx', async (c) => {
    const { db, log } = c.var.deps;
    const { t, locale } = c.var;
    const ctx = readContext(c);
    const query = parseListQuery((n) => c.req.query(n));
    const [rows, agencies, dirs] = await Promise.all([
      itemExportRows(db, ctx, listFilters(query, ctx.today)),
      agencyList(db),
      directions(db),
    ]);
    const agencyNames = new Map(agencies.map((a) => [a.id, agencyShort(locale, a)]));
    const directionNames = new Map(dirs.map((d) => [d.code, localized(locale, d.title_ru, d.title_en)]));
    return xlsxResponse(
      `${t('export.itemsFile')}-${ctx.today}.xlsx`,
      (wb) => writeItemList(wb, rows, { t, locale, agencyNames, directionNames }),
      (e) => log.error({ err: e }, 'item list export failed'),
    );
  });

  app.get('/services.xlsx', async (c) => {
    const { db, log } = c.var.deps;
    const { today } = readContext(c);
    const rows = await serviceRegisterRows(db);
    return xlsxResponse(
      `services-${today}.xlsx`,
      (wb) => writeServiceRegister(wb, rows),
      (e) => log.error({ err: e }, 'services export failed'),
    );
  });

  return app;
}
