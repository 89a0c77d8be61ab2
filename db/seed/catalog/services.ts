import { readFileSync } from 'node:fs';
import { z } from 'zod';

// Demo catalogue of regional state services of Novosibirsk Oblast: data in services.json, checked and
// typed here when first read. Services marked `verified: true` come from /work/shared/reference/
// reference.json (services_by_life_situation) and keep its verified flag; every other entry is a
// realistic but unverified addition (`verified: false`). The "190 services" figure follows the seed fact
// "190+ services checked against client-centricity principles in 2023"; codes are `<AGENCY>-NNN`,
// numbered within each agency. `extraAgencies`: the state housing inspectorate is not in reference.json
// `agencies`, but reference services name it as a provider. `agencyShortRu` / `agencyShortEn`: short names
// of the 16 regional agencies of reference.json (the collegial body MRG excluded) plus GZHI.

const CatalogService = z.object({
  code: z.string().regex(/^[A-Z]+-\d{3}$/),
  agency: z.string(),
  title_ru: z.string().min(1),
  title_en: z.string().min(1),
  lifeSituations: z.array(z.string()),
  electronic: z.boolean(),
  proactive: z.boolean(),
  sociallySignificant: z.boolean(),
  channels: z.array(z.enum(['epgu', 'mfc', 'office', 'post'])),
  verified: z.boolean(),
});
export type CatalogService = z.infer<typeof CatalogService>;

const Catalog = z.object({
  extraAgencies: z.array(
    z.object({ code: z.string(), title_ru: z.string(), title_en: z.string(), short_ru: z.string() }),
  ),
  agencyShortRu: z.record(z.string(), z.string()),
  agencyShortEn: z.record(z.string(), z.string()),
  services: z.array(CatalogService),
});

const catalog = Catalog.parse(JSON.parse(readFileSync(new URL('./services.json', import.meta.url), 'utf8')));

export const EXTRA_AGENCIES = catalog.extraAgencies;
export const AGENCY_SHORT_RU: Record<string, string> = catalog.agencyShortRu;
/** The English short names shown in English lists ("Labour and Social NSO"), same codes. */
export const AGENCY_SHORT_EN: Record<string, string> = catalog.agencyShortEn;
export const SERVICES: CatalogService[] = catalog.services;
