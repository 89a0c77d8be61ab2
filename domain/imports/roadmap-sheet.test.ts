import { describe, expect, it } from 'vitest';
import { parseRoadmapSheets } from './roadmap-sheet.ts';
import type { RawCell, RawSheet } from './types.ts';

const refs = {
  agencies: [
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
    {
      id: 3,
      code: 'MO',
      title_ru: 'Министерство образования Новосибирской области',
      short_ru: 'Минобр',
      title_en: 'Ministry of Education',
    },
  ],
  lifeSituations: [
    { id: 7, code: 'FLS-LARGEFAM', title_ru: 'Многодетная семья', title_en: 'Large family' },
    { id: 8, code: 'FLS-RELOC', title_ru: 'Переезд в другой регион', title_en: 'Moving' },
  ],
};
const today = '2025-03-01';

function sheet(rows: RawCell[][], startRow = 1): RawSheet {
  return { name: 'Лист1', rows: rows.map((cells, i) => ({ row: startRow + i, cells })) };
}
const HEADER: RawCell[] = [
  '№\nп/п',
  'Наименование мероприятия',
  'Срок исполнения',
  'Ответственный исполнитель',
  'Соисполнители',
  'Результат / вид документа',
  'Жизненная ситуация',
];

describe('roadmap sheet', () => {
  it('finds the table under a title block, skips the column numbering, reads sections and rows', () => {
    const p = parseRoadmapSheets(
      [
        sheet([
          ['План мероприятий («дорожная карта»)'],
          [],
          HEADER,
          [1, 2, 3, 4, 5, 6, 7],
          ['1. Жизненная ситуация «Многодетная семья»'],
          ['1.1', 'Описание целевого состояния', '30.06.2025', 'Минтруд', 'Минздрав; MO', 'Протокол', null],
          [
            '1.2',
            'План оптимизации',
            'ежеквартально',
            'MTSR',
            'Минтруд',
            'Приказ',
            'Переезд в другой регион',
          ],
          [],
          ['2. Общесистемные мероприятия'],
          [
            '2.1',
            'Стандарт',
            new Date(Date.UTC(2025, 11, 31)),
            'Министерство здравоохранения',
            null,
            null,
            null,
          ],
        ]),
      ],
      refs,
      { today },
    );
    expect(p.issues).toEqual([]);
    expect(p.headerRow).toBe(3);
    expect(p.dataRows).toBe(3);
    expect(p.rows).toEqual([
      {
        row: 6,
        number: '1.1',
        title: 'Описание целевого состояния',
        deadline: { kind: 'date', due: '2025-06-30' },
        deadlineText: '30.06.2025',
        agencyId: 1,
        coAgencyIds: [2, 3],
        deliverable: 'Протокол',
        lifeSituationId: 7,
      },
      {
        row: 7,
        number: '1.2',
        title: 'План оптимизации',
        // No end date: open-ended, reported on past the roadmap's last deadline until cancelled.
        deadline: { kind: 'recurring', every: 'quarterly', until: null },
        deadlineText: 'ежеквартально',
        agencyId: 1,
        coAgencyIds: [], // the responsible agency is not its own co-executor
        deliverable: 'Приказ',
        lifeSituationId: 8,
      },
      {
        row: 10,
        number: '2.1',
        title: 'Стандарт',
        deadline: { kind: 'date', due: '2025-12-30', written: '2025-12-31' },
        deadlineText: '31.12.2025', // an Excel date cell, as the sheet shows it
        agencyId: 2,
        coAgencyIds: [],
        deliverable: null,
        lifeSituationId: null,
      },
    ]);
  });

  it('reports every broken cell with its row, column letter and header, and keeps no rows with problems', () => {
    const p = parseRoadmapSheets(
      [
        sheet([
          HEADER,
          ['1', 'Первое', '31.02.2025', 'Минтруд', null, null, null],
          ['2', '', '30.06.2025', 'Минобороны', 'Минздрав, Минфин', null, 'Рождение ребёнка'],
          ['1', 'Дубль', 'постоянно', 'MZ', null, null, null],
          ['3', 'Хорошее', '30.06.2025', 'Минтруд, Минздрав', null, null, null],
          [null, 'Без номера', '30.06.2025', 'MZ', null, null, null],
          ['4', 'Ошибка формулы', { error: '#REF!' }, 'MZ', null, null, null],
        ]),
      ],
      refs,
      { today },
    );
    expect(p.rows).toEqual([]);
    expect(p.issues.map((i) => [i.row, i.column, i.key, i.params ?? {}])).toEqual([
      [2, 'C', 'error.import.deadline.invalidDate', { value: '31.02.2025' }],
      [3, 'B', 'error.import.required', {}],
      [3, 'D', 'error.import.agency.unknown', { value: 'Минобороны' }],
      [3, 'E', 'error.import.agency.unknown', { value: 'Минфин' }],
      [3, 'G', 'error.import.lifeSituation.unknown', { value: 'Рождение ребёнка' }],
      [4, 'A', 'error.import.duplicateNumber', { number: '1', first: 2 }],
      [4, 'C', 'error.import.deadline.openEnded', { value: 'постоянно' }],
      [5, 'D', 'error.import.responsible.several', { value: 'Минтруд, Минздрав' }],
      [6, 'A', 'error.import.required', {}],
      [7, 'C', 'error.import.cellError', { value: '#REF!' }],
    ]);
    expect(p.issues[0]!.header).toBe('Срок исполнения');
  });

  it('names the missing columns, or says there is no table at all', () => {
    const missing = parseRoadmapSheets(
      [
        sheet([
          ['№', 'Мероприятие', 'Примечание'],
          ['1', 'x', 'y'],
        ]),
      ],
      refs,
      { today },
    );
    expect(missing.issues).toEqual([
      {
        row: 1,
        column: null,
        key: 'error.import.header.missing',
        params: { columns: 'Срок исполнения, Ответственный исполнитель' },
      },
    ]);
    const none = parseRoadmapSheets(
      [
        sheet([
          ['a', 'b'],
          ['c', 'd'],
        ]),
      ],
      refs,
      { today },
    );
    expect(none.issues[0]!.key).toBe('error.import.header.notFound');
    const twice = parseRoadmapSheets(
      [sheet([['№', 'Мероприятие', 'Срок', 'Срок исполнения', 'Ответственный']])],
      refs,
      {
        today,
      },
    );
    expect(twice.issues[0]!.key).toBe('error.import.header.duplicate');
    const empty = parseRoadmapSheets([sheet([HEADER])], refs, { today });
    expect(empty.issues[0]!.key).toBe('error.import.noRows');
  });

  it('takes the first sheet that has the table and reports columns it ignores', () => {
    const p = parseRoadmapSheets(
      [
        { name: 'Пояснения', rows: [{ row: 1, cells: ['Текст'] }] },
        sheet([
          ['No.', 'Measure', 'Deadline', 'Responsible agency', 'Comment'],
          ['5', 'English roadmap', '2025-06-30', 'MZ', 'x'],
        ]),
      ],
      refs,
      { today },
    );
    expect(p.issues).toEqual([]);
    expect(p.ignoredColumns).toEqual(['Comment']);
    // Columns the file does not have leave existing values alone on re-import.
    expect(p.rows[0]).toMatchObject({
      number: '5',
      agencyId: 2,
      coAgencyIds: undefined,
      deliverable: undefined,
    });
  });
});
