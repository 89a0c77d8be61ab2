import { describe, expect, it } from 'vitest';
import { INDICATORS, TARGET_STATES } from './life-situations.ts';
import { CO_AGENCIES, LEAD_AGENCY, MEASURE_TEMPLATES, PROGRAMME_MEASURES } from './measures.ts';
import { PEOPLE, POSITIONS, POSITIONS_EN } from './people.ts';
import { AGENCY_SHORT_RU, EXTRA_AGENCIES, SERVICES } from './services.ts';

// Facts from /work/shared/reference/reference.json, hard-coded so the unit test needs no file access.
const AGENCIES = [
  'MCR',
  'MTSR',
  'MZ',
  'MO',
  'MS',
  'MZHKKHE',
  'MPR',
  'MSKH',
  'UVET',
  'DIZO',
  'MTDH',
  'MK',
  'MFKS',
  'MER',
  'MFC',
  'ZAGS',
  'GZHI',
];
const LIFE_SITUATIONS = [
  'FLS-IZHS',
  'FLS-HUNT',
  'FLS-MEATMILK',
  'FLS-LARGEFAM',
  'FLS-DOCS',
  'FLS-RELOC',
  'FLS-BIRTH',
  'FLS-PENSION',
  'FLS-BIZOPEN',
  'FLS-UNIV',
  'FLS-BEREAVE',
  'FLS-HOUSEBUY',
  'FLS-CAPCON',
  'FLS-LAND',
  'RLS-NSO-EXTRACURR',
  'RLS-NSO-MKD',
  'RLS-NSO-DISAB',
  'RLS-NSO-KINDER',
  'RLS-NSO-POOR',
];
const ROADMAP_LIFE_SITUATIONS = [
  'FLS-IZHS',
  'FLS-HUNT',
  'FLS-MEATMILK',
  'FLS-LARGEFAM',
  'FLS-DOCS',
  'FLS-RELOC',
  'RLS-NSO-EXTRACURR',
  'RLS-NSO-MKD',
  'RLS-NSO-DISAB',
  'RLS-NSO-KINDER',
  'RLS-NSO-POOR',
];
const MEASURE_TYPES = [
  'normative_act',
  'methodology',
  'order_on_responsibles',
  'target_state_description',
  'optimization_plan',
  'compliance_check',
  'survey_results',
  'mystery_shopping',
  'time_motion_study',
  'regulation_inventory',
  'training',
  'it_service_launch',
  'report',
];
// Regional services of reference.json services_by_life_situation and their verified flags.
const REFERENCE_SERVICES: [string, string, boolean][] = [
  [
    'MTSR',
    'Ежемесячная денежная выплата в размере прожиточного минимума для детей (третий и последующий ребенок до 3 лет)',
    true,
  ],
  [
    'DIZO',
    'Бесплатное предоставление в собственность земельного участка гражданам, имеющим трех и более детей',
    true,
  ],
  ['DIZO', 'Денежная компенсация взамен предоставления земельного участка', true],
  ['MTSR', 'Выдача (электронного) удостоверения многодетной семьи', true],
  ['MPR', 'Выдача и аннулирование охотничьего билета единого федерального образца', true],
  ['MPR', 'Выдача разрешения на добычу охотничьих ресурсов', true],
  [
    'MPR',
    'Распределение разрешений на добычу охотничьих ресурсов посредством случайной выборки (жеребьевка)',
    true,
  ],
  [
    'DIZO',
    'Предоставление земельных участков, находящихся в государственной собственности, гражданам для индивидуального жилищного строительства',
    true,
  ],
  ['UVET', 'Оформление ветеринарных сопроводительных документов в электронной форме (ФГИС «Меркурий»)', true],
  ['ZAGS', 'Государственная регистрация заключения брака / расторжения брака', false],
  ['MZ', 'Прикрепление к медицинской организации', false],
  ['MO', 'Компенсация части родительской платы за присмотр и уход в детском саду', false],
  ['MO', 'Получение сертификата дополнительного образования (персонифицированное финансирование)', true],
  [
    'MO',
    'Запись на обучение по дополнительной общеобразовательной программе (через «Навигатор дополнительного образования»)',
    true,
  ],
  ['MTSR', 'Предоставление путевок в организации отдыха детей и их оздоровления', false],
  ['MTSR', 'Государственная социальная помощь на основании социального контракта', true],
  ['MTSR', 'Предоставление субсидий на оплату жилого помещения и коммунальных услуг', true],
  ['MTSR', 'Признание семьи (одиноко проживающего гражданина) малоимущей', false],
  ['GZHI', 'Лицензирование предпринимательской деятельности по управлению многоквартирными домами', false],
];

describe('service catalogue', () => {
  it('has exactly 190 services with unique codes and titles', () => {
    expect(SERVICES).toHaveLength(190);
    expect(new Set(SERVICES.map((s) => s.code)).size).toBe(190);
    expect(new Set(SERVICES.map((s) => s.title_ru)).size).toBe(190);
    expect(new Set(SERVICES.map((s) => s.title_en)).size).toBe(190);
  });

  it('uses known agencies and life situations only', () => {
    for (const s of SERVICES) {
      expect(AGENCIES).toContain(s.agency);
      expect(s.code.startsWith(`${s.agency}-`)).toBe(true);
      for (const ls of s.lifeSituations) expect(LIFE_SITUATIONS).toContain(ls);
      expect(new Set(s.lifeSituations).size).toBe(s.lifeSituations.length);
    }
  });

  it('covers every agency', () => {
    for (const a of AGENCIES) expect(SERVICES.some((s) => s.agency === a)).toBe(true);
  });

  it('has well-formed titles and channels', () => {
    for (const s of SERVICES) {
      expect(s.title_ru.length).toBeLessThanOrEqual(250);
      expect(s.title_ru.trim()).toBe(s.title_ru);
      expect(s.title_en.trim().length).toBeGreaterThan(0);
      expect(s.channels.length).toBeGreaterThan(0);
      expect(new Set(s.channels).size).toBe(s.channels.length);
      expect(s.channels.includes('epgu')).toBe(s.electronic);
    }
  });

  it('keeps the proactive and socially significant shares plausible', () => {
    const proactive = SERVICES.filter((s) => s.proactive).length;
    const significant = SERVICES.filter((s) => s.sociallySignificant).length;
    expect(proactive).toBeGreaterThanOrEqual(5);
    expect(proactive).toBeLessThanOrEqual(15);
    expect(significant).toBeGreaterThanOrEqual(45);
    expect(significant).toBeLessThanOrEqual(70);
  });

  it('includes every regional reference service with its verified flag, and marks only those verified', () => {
    for (const [agency, title, verified] of REFERENCE_SERVICES) {
      const s = SERVICES.find((x) => x.title_ru === title);
      expect(s, title).toBeDefined();
      expect(s?.agency).toBe(agency);
      expect(s?.verified).toBe(verified);
    }
    const referenceTitles = new Set(REFERENCE_SERVICES.map(([, t]) => t));
    for (const s of SERVICES.filter((x) => x.verified)) expect(referenceTitles.has(s.title_ru)).toBe(true);
  });

  it('has short names for all 17 agencies and GZHI as the only extra agency', () => {
    expect(Object.keys(AGENCY_SHORT_RU).sort()).toEqual([...AGENCIES].sort());
    expect(EXTRA_AGENCIES.map((a) => a.code)).toEqual(['GZHI']);
  });
});

describe('roadmap measures', () => {
  it('yields 4 templates × 11 life situations + 16 programme measures = 60', () => {
    const perLs = MEASURE_TEMPLATES.filter((t) => t.perLifeSituation);
    expect(perLs).toHaveLength(4);
    expect(MEASURE_TEMPLATES).toHaveLength(4);
    expect(PROGRAMME_MEASURES).toHaveLength(16);
    expect(perLs.length * ROADMAP_LIFE_SITUATIONS.length + PROGRAMME_MEASURES.length).toBe(60);
  });

  it('uses reference measure types and the {ls} placeholder', () => {
    for (const t of MEASURE_TEMPLATES) {
      expect(MEASURE_TYPES).toContain(t.type);
      expect(t.title_ru).toContain('{ls}');
      expect(t.title_en).toContain('{ls}');
    }
    for (const m of PROGRAMME_MEASURES) {
      expect(MEASURE_TYPES).toContain(m.type);
      expect(AGENCIES).toContain(m.agency);
    }
    expect(new Set(PROGRAMME_MEASURES.map((m) => m.title_ru)).size).toBe(16);
    expect(PROGRAMME_MEASURES.some((m) => m.agency === 'MER' && m.recurrence === 'quarterly')).toBe(true);
  });

  it('assigns valid lead and co-executor agencies to each of the 11 life situations', () => {
    expect(Object.keys(LEAD_AGENCY).sort()).toEqual([...ROADMAP_LIFE_SITUATIONS].sort());
    expect(Object.keys(CO_AGENCIES).sort()).toEqual([...ROADMAP_LIFE_SITUATIONS].sort());
    for (const ls of ROADMAP_LIFE_SITUATIONS) {
      const lead = LEAD_AGENCY[ls];
      const co = CO_AGENCIES[ls] ?? [];
      expect(AGENCIES).toContain(lead);
      expect(co.length).toBeLessThanOrEqual(2);
      for (const a of co) expect(AGENCIES).toContain(a);
      expect(co).not.toContain(lead);
      expect(new Set(co).size).toBe(co.length);
    }
  });
});

describe('life situations', () => {
  it('has a plausible target state for each roadmap life situation', () => {
    expect(Object.keys(TARGET_STATES).sort()).toEqual([...ROADMAP_LIFE_SITUATIONS].sort());
    for (const ts of Object.values(TARGET_STATES)) {
      expect(ts.toBe.termDays).toBeLessThan(ts.asIs.termDays);
      expect(ts.toBe.visits).toBeLessThanOrEqual(ts.asIs.visits);
      expect(ts.toBe.documents).toBeLessThan(ts.asIs.documents);
      expect(ts.toBe.applications).toBeLessThanOrEqual(ts.asIs.applications);
      expect(ts.toBe.avgRating).toBeGreaterThan(ts.asIs.avgRating);
      expect(ts.toBe.avgRating).toBeLessThanOrEqual(5);
      expect(ts.asIs.avgRating).toBeGreaterThanOrEqual(1);
      expect(ts.toBe.shareOnline).toBeGreaterThan(ts.asIs.shareOnline);
      expect(ts.toBe.shareOnline).toBeLessThanOrEqual(100);
      expect(ts.scenarioSteps.length).toBeGreaterThanOrEqual(3);
      expect(ts.scenarioSteps.length).toBeLessThanOrEqual(6);
    }
  });

  it('has 4 generic indicators', () => {
    expect(INDICATORS).toHaveLength(4);
    expect(new Set(INDICATORS.map((i) => i.code)).size).toBe(4);
  });
});

describe('people', () => {
  it('has 60 distinct people of both genders', () => {
    expect(PEOPLE).toHaveLength(60);
    expect(new Set(PEOPLE.map((p) => `${p.last} ${p.first} ${p.middle}`)).size).toBe(60);
    const women = PEOPLE.filter((p) => p.female).length;
    expect(women).toBeGreaterThan(15);
    expect(women).toBeLessThan(45);
  });

  it('has matching Russian and English positions', () => {
    expect(Object.keys(POSITIONS_EN).sort()).toEqual(Object.keys(POSITIONS).sort());
  });
});
