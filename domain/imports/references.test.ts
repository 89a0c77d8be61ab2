import { describe, expect, it } from 'vitest';
import { agencyMatcher, lifeSituationMatcher, similarity } from './references.ts';

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
    expect(match('Минобороны')).toEqual({ ok: false, reason: 'unknown', candidates: [], suggestions: [] });
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

  it('matches aliases and short names of any length, exactly', () => {
    const m = agencyMatcher([
      ...agencies,
      {
        id: 5,
        code: 'OMSU',
        title_ru: 'Органы местного самоуправления муниципальных образований Новосибирской области',
        short_ru: 'ОМСУ',
        title_en: 'Local self-government bodies',
        aliases: ['Органы местного самоуправления', 'ОМСУ МО'],
      },
      {
        id: 6,
        code: 'MJ',
        title_ru: 'Министерство юстиции Новосибирской области',
        short_ru: 'Минюст',
        title_en: 'Ministry of Justice',
        aliases: ['Министерство юстиции'],
      },
      {
        id: 7,
        code: 'GZ',
        title_ru: 'Государственная жилищная инспекция',
        short_ru: 'ГЖИ',
        title_en: 'GZhI',
      },
    ]);
    expect(m('Органы местного самоуправления')).toEqual({ ok: true, id: 5 });
    expect(m('омсу')).toEqual({ ok: true, id: 5 });
    expect(m('Министерство юстиции')).toEqual({ ok: true, id: 6 });
    expect(m('МФЦ')).toEqual({ ok: true, id: 3 });
    expect(m('ГЖИ')).toEqual({ ok: true, id: 7 });
    expect(m('ГЖ')).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('sends a merged agency’s names to its successor and names a disabled one', () => {
    const m = agencyMatcher([
      {
        id: 1,
        code: 'NEW',
        title_ru: 'Министерство цифрового развития',
        short_ru: 'Минцифры',
        title_en: 'D',
      },
      {
        id: 2,
        code: 'OLD',
        title_ru: 'Департамент информатизации',
        short_ru: 'ДИРИТТ',
        title_en: 'I',
        disabled: true,
        merged_into_id: 1,
      },
      { id: 3, code: 'GONE', title_ru: 'Управление делами', short_ru: null, title_en: 'G', disabled: true },
    ]);
    expect(m('Департамент информатизации')).toEqual({ ok: true, id: 1 });
    expect(m('диритт')).toEqual({ ok: true, id: 1 });
    expect(m('Управление делами')).toMatchObject({
      ok: false,
      reason: 'disabled',
      candidates: ['Управление делами'],
    });
  });

  it('offers the closest known names for an unknown one', () => {
    expect(match('Министерство здравохранения')).toMatchObject({
      ok: false,
      reason: 'unknown',
      suggestions: ['Минздрав'],
    });
    expect(match('Минтрд')).toMatchObject({ suggestions: ['Минтруд'] });
    const r = match('Министрество труда и социального развития');
    expect(r).toMatchObject({ ok: false, reason: 'unknown' });
    expect(r.ok === false && r.reason === 'unknown' && r.suggestions[0]).toBe('Минтруд');
    expect(match('Федеральная налоговая служба')).toMatchObject({ suggestions: [] });
  });

  it('measures similarity on whole names and on the start of longer ones', () => {
    expect(similarity('мфц', 'мфц')).toBe(1);
    expect(similarity('министерство юстици', 'министерство юстиции новосибирской области')).toBeGreaterThan(
      0.9,
    );
    expect(similarity('абв', 'министерство')).toBeLessThan(0.3);
    expect(similarity('', 'x')).toBe(0);
  });
});
