// The Russian production calendar as data: non-working weekdays (holidays and transferred days off) and
// working weekend days, per year. Art. 112 of the Labour Code plus the yearly government decrees.
// Outside the listed years the fixed holidays of art. 112 apply with the weekend-carry rule (see rules.ts).

export interface YearCalendar {
  /** Weekdays that are days off (holidays, and days off transferred by the decree). */
  readonly daysOff: readonly string[];
  /** Saturdays/Sundays that are working days because a day off was transferred away from them. */
  readonly workingWeekends: readonly string[];
  readonly source: string;
  /** True while only a draft decree is known; replace with the signed decree when it is published. */
  readonly provisional?: boolean;
}

export const RU_CALENDAR: Readonly<Record<number, YearCalendar>> = {
  2024: {
    source: 'Постановление Правительства РФ от 10.08.2023 № 1314',
    daysOff: [
      '2024-01-01',
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-01-08',
      '2024-02-23',
      '2024-03-08',
      '2024-04-29',
      '2024-04-30',
      '2024-05-01',
      '2024-05-09',
      '2024-05-10',
      '2024-06-12',
      '2024-11-04',
      '2024-12-30',
      '2024-12-31',
    ],
    workingWeekends: ['2024-04-27', '2024-11-02', '2024-12-28'],
  },
  2025: {
    source: 'Постановление Правительства РФ от 04.10.2024 № 1335',
    daysOff: [
      '2025-01-01',
      '2025-01-02',
      '2025-01-03',
      '2025-01-06',
      '2025-01-07',
      '2025-01-08',
      '2025-05-01',
      '2025-05-02',
      '2025-05-08',
      '2025-05-09',
      '2025-06-12',
      '2025-06-13',
      '2025-11-03',
      '2025-11-04',
      '2025-12-31',
    ],
    workingWeekends: ['2025-11-01'],
  },
  2026: {
    source: 'Постановление Правительства РФ от 24.09.2025 № 1466',
    daysOff: [
      '2026-01-01',
      '2026-01-02',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
      '2026-01-09',
      '2026-02-23',
      '2026-03-09',
      '2026-05-01',
      '2026-05-11',
      '2026-06-12',
      '2026-11-04',
      '2026-12-31',
    ],
    workingWeekends: [],
  },
  2027: {
    source:
      'ст. 112 ТК РФ (перенос праздников с выходных) + проект Минтруда: 5 ноября выходной, 13 ноября рабочая суббота; ' +
      'переносы 2 и 3 января ещё не утверждены',
    provisional: true,
    daysOff: [
      '2027-01-01',
      '2027-01-04',
      '2027-01-05',
      '2027-01-06',
      '2027-01-07',
      '2027-01-08',
      '2027-02-23',
      '2027-03-08',
      '2027-05-03',
      '2027-05-10',
      '2027-06-14',
      '2027-11-04',
      '2027-11-05',
    ],
    workingWeekends: ['2027-11-13'],
  },
};
