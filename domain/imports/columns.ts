import { normalizeText } from './text.ts';

/** Columns of the usual Russian roadmap table, in the order an export writes them. */
export const ROADMAP_COLUMNS = [
  'number',
  'title',
  'deadline',
  'responsible',
  'coExecutors',
  'deliverable',
  'lifeSituation',
] as const;
/** Columns a roadmap may have besides the usual ones (issue 16: the measure's direction). */
export const OPTIONAL_COLUMNS = ['direction'] as const;
/** Columns a status export adds; recognised on import and ignored (status is the workflow's). */
export const STATUS_COLUMNS = ['status', 'currentDue', 'daysOverdue', 'escalation'] as const;

export type RoadmapColumn = (typeof ROADMAP_COLUMNS)[number];
export type StatusColumn = (typeof STATUS_COLUMNS)[number];
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
export type ColumnKey = RoadmapColumn | OptionalColumn | StatusColumn;

export const REQUIRED_COLUMNS: readonly RoadmapColumn[] = ['number', 'title', 'deadline', 'responsible'];

/** The header an export writes (and the name an error message uses). */
export const HEADER_RU: Record<ColumnKey, string> = {
  number: '№ п/п',
  title: 'Наименование мероприятия',
  deadline: 'Срок исполнения',
  responsible: 'Ответственный исполнитель',
  coExecutors: 'Соисполнители',
  deliverable: 'Результат / вид документа',
  lifeSituation: 'Жизненная ситуация',
  direction: 'Направление',
  status: 'Статус',
  currentDue: 'Текущий срок (с учётом продлений)',
  daysOverdue: 'Просрочка, раб. дн.',
  escalation: 'Уровень эскалации',
};

// Headers seen in regional roadmaps (and English ones), compared after headerKey() normalisation.
const SYNONYMS: Record<ColumnKey, string[]> = {
  number: [
    '№',
    '№ п/п',
    'п/п',
    'n',
    'n п/п',
    'no',
    'nn',
    '№№',
    'номер',
    '№ мероприятия',
    'номер мероприятия',
    '#',
    'number',
    'item no',
    'item number',
  ],
  title: [
    'мероприятие',
    'мероприятия',
    'наименование мероприятия',
    'наименование мероприятий',
    'наименование',
    'содержание мероприятия',
    'наименование мероприятия поручения',
    'measure',
    'title',
    'name',
    'action',
  ],
  deadline: [
    'срок',
    'сроки',
    'срок исполнения',
    'срок реализации',
    'срок выполнения',
    'срок исполнения реализации',
    'плановый срок',
    'deadline',
    'due',
    'due date',
  ],
  responsible: [
    'ответственный',
    'ответственный исполнитель',
    'ответственные исполнители',
    'ответственный орган',
    'исполнитель',
    'responsible',
    'responsible agency',
    'executor',
  ],
  coExecutors: [
    'соисполнители',
    'соисполнитель',
    'co-executors',
    'co-executor',
    'co executors',
    'coexecutors',
  ],
  deliverable: [
    'результат',
    'вид документа',
    'результат/вид документа',
    'вид документа/результат',
    'ожидаемый результат',
    'результат мероприятия',
    'форма завершения',
    'deliverable',
    'result',
    'document type',
  ],
  lifeSituation: ['жизненная ситуация', 'жс', 'life situation'],
  direction: [
    'направление',
    'направление рейтинга',
    'сфера',
    'направление/сфера',
    'direction',
    'rating direction',
    'sphere',
  ],
  status: ['статус', 'status'],
  currentDue: ['текущий срок', 'текущий срок с учетом продлений', 'current deadline', 'current due'],
  daysOverdue: ['дней просрочки', 'просрочка дней', 'просрочка', 'просрочка раб дн', 'days overdue'],
  escalation: ['уровень эскалации', 'эскалация', 'escalation', 'escalation level'],
};

/** Header text for matching: normalised, brackets and punctuation dropped, spaces around '/' removed. */
export function headerKey(s: string): string {
  return normalizeText(s)
    .replace(/[()[\]{}.,:*]/g, ' ')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

const EXACT = new Map<string, ColumnKey>();
for (const [key, names] of Object.entries(SYNONYMS) as [ColumnKey, string[]][]) {
  for (const n of names) EXACT.set(headerKey(n), key);
}

// Keyword fallbacks, most specific first ("соисполнители" before "исполнитель", "текущий срок" before "срок").
const KEYWORDS: [RegExp, ColumnKey][] = [
  [/соисполнит|co-?executor/, 'coExecutors'],
  [/текущ\S* срок|current (deadline|due)/, 'currentDue'],
  [/просрочк|overdue/, 'daysOverdue'],
  [/эскалац|escalation/, 'escalation'],
  [/^статус|^status/, 'status'],
  [/жизненн\S* ситуац|life situation/, 'lifeSituation'],
  [/^направлени|^direction/, 'direction'],
  [/ответствен|responsible/, 'responsible'],
  [/^срок|deadline|due date/, 'deadline'],
  [/результат|вид документа|deliverable/, 'deliverable'],
  [/мероприят|наименован|^measure|^title/, 'title'],
  [/^№|^номер|^no\b|^number/, 'number'],
];

/** Which column a header names, or null for a column we do not use. */
export function recognizeHeader(text: string): ColumnKey | null {
  const k = headerKey(text);
  if (!k) return null;
  const exact = EXACT.get(k);
  if (exact) return exact;
  for (const [re, key] of KEYWORDS) if (re.test(k)) return key;
  return null;
}
