import { code, optionalText, requiredText, type Problems } from './fields.ts';

export const AGENCY_KINDS = ['regional', 'municipality', 'federal', 'mfc', 'public_org'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** What the admin sets for an agency (on the page, in the API, in a row of an onboarding file). */
export interface AgencyInput {
  code: string;
  titleRu: string;
  /** Empty → the Russian title (the column is required). */
  titleEn: string | null;
  shortRu: string | null;
  kind: AgencyKind;
  /** Other names imports may use: ОМСУ, «Органы местного самоуправления», an old name. */
  aliases: string[];
}

export const AGENCY_LIMITS = { title: 500, short: 100, alias: 300, aliases: 30 } as const;

export function agencyProblems(a: AgencyInput): Problems {
  const p: Problems = [];
  code(p, 'code', a.code);
  requiredText(p, 'titleRu', a.titleRu, AGENCY_LIMITS.title);
  optionalText(p, 'titleEn', a.titleEn, AGENCY_LIMITS.title);
  optionalText(p, 'shortRu', a.shortRu, AGENCY_LIMITS.short);
  if (!(AGENCY_KINDS as readonly string[]).includes(a.kind))
    p.push({ field: 'kind', key: 'error.field.choice' });
  if (a.aliases.length > AGENCY_LIMITS.aliases)
    p.push({ field: 'aliases', key: 'error.reference.tooMany', params: { max: AGENCY_LIMITS.aliases } });
  else if (a.aliases.some((x) => x.length > AGENCY_LIMITS.alias))
    p.push({ field: 'aliases', key: 'error.field.tooLong', params: { max: AGENCY_LIMITS.alias } });
  return p;
}

/** Russian and English words a file may use for a kind (besides the code itself). */
const KIND_WORDS: Record<AgencyKind, string[]> = {
  regional: ['региональный', 'региональный орган', 'роив', 'огв', 'министерство', 'regional body'],
  municipality: ['муниципальный', 'омсу', 'муниципалитет', 'муниципальное образование', 'municipal'],
  federal: ['федеральный', 'федеральный орган', 'фоив', 'federal body'],
  mfc: ['мфц', 'многофункциональный центр'],
  public_org: ['общественная организация', 'нко', 'public organisation', 'public organization', 'ngo'],
};

/** A kind as written in a file: its code or a usual word for it; null when unknown. */
export function parseAgencyKind(v: string): AgencyKind | null {
  const t = v.trim().toLowerCase().replace(/ё/g, 'е');
  if (t === '') return 'regional';
  for (const k of AGENCY_KINDS) if (t === k || KIND_WORDS[k].includes(t)) return k;
  return null;
}
