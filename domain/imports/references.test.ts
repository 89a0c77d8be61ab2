import { describe, expect, it } from 'vitest';
import { agencyMatcher, lifeSituationMatcher } from './references.ts';

const agencies = [
  {
    id: 1,
    code: 'MTSR',
    title_ru: 'Министерство труда и социального развития Новосибирской области',
    short_ru: 'Минтруд',
    title_en: 'Ministry of Labour',
  },
  {
    id: 2,
    code: 'MZ',
    title_ru: 'Министерство здравоохранения Новосибирской области',
    short_ru: 'Минздрав',
    title_en: 'Ministry of Health',
  },
  { id: 3, code: 'MFC', title_ru: 'ГАУ НСО «Многофункциональный центр»', short_ru: 'МФЦ', title_en: 'MFC' },
  {
    id: 4,
    code: 'MZHKKHE',
    title_ru: 'Министерство жилищно-коммунального хозяйства и энергетики Новосибирской области',
    short_ru: null,
    title_en: 'Ministry of Housing',
  },
];

describe('reference matching', () => {
  const match = agencyMatcher(agencies);

  it('finds an agency by code, full or short title, in any case, with ё, quotes and extra spaces', () => {
    expect(match('mtsr')).toEqual({ ok: true, id: 1 });
    expect(match('Министерство  труда и социального\nразвития Новосибирской области')).toEqual({
      ok: true,
      id: 1,
    });
    expect(match('МИНЗДРАВ')).toEqual({ ok: true, id: 2 });
    expect(match('ГАУ НСО "Многофункциональный центр"')).toEqual({ ok: true, id: 3 });
    expect(match('Ministry of Health')).toEqual({ ok: true, id: 2 });
  });

  it('accepts a unique title without the region suffix, refuses ambiguous and unknown names', () => {
    expect(match('Министерство здравоохранения')).toEqual({ ok: true, id: 2 });
    expect(match('Министерство')).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(match('Минобороны')).toEqual({ ok: false, reason: 'unknown', candidates: [] });
    expect(match('Мин')).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('finds a life situation by title or code', () => {
    const ls = lifeSituationMatcher([
      { id: 7, code: 'FLS-LARGEFAM', title_ru: 'Многодетная семья', title_en: 'Large family' },
      { id: 8, code: 'FLS-RELOC', title_ru: 'Переезд в другой регион', title_en: 'Moving' },
    ]);
    expect(ls('многодетная семья')).toEqual({ ok: true, id: 7 });
    expect(ls('FLS-RELOC')).toEqual({ ok: true, id: 8 });
    expect(ls('Рождение ребёнка')).toMatchObject({ ok: false, reason: 'unknown' });
  });
});
