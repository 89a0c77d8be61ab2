/**
 * The taxonomy a new installation starts with; the working group edits it on /feedback/topics. Topics
 * follow the criteria of the federal citizen rating (ПП РФ № 1284: time, queue, staff, premises,
 * information) and the complaints ПОС and МФЦ reviews carry most; rules are words and short phrases
 * matched by their Russian stems (taxonomy.ts).
 */
export const DEFAULT_TOPICS: { code: string; title_ru: string; title_en: string; rules: string[] }[] = [
  {
    code: 'QUEUE',
    title_ru: 'Очереди и ожидание',
    title_en: 'Queues and waiting',
    rules: ['очередь', 'ожидание', 'ждать', 'ждали', 'талон', 'долго ждал', 'электронная очередь'],
  },
  {
    code: 'TIME',
    title_ru: 'Сроки предоставления',
    title_en: 'Time to deliver',
    rules: ['срок', 'сроки', 'затянули', 'задержка', 'до сих пор', 'месяц', 'не выдали вовремя'],
  },
  {
    code: 'STAFF',
    title_ru: 'Вежливость и компетентность сотрудников',
    title_en: 'Staff courtesy and competence',
    rules: [
      'грубость',
      'нагрубили',
      'хамство',
      'хамили',
      'невежливо',
      'некомпетентный',
      'не знают',
      'не объяснили',
    ],
  },
  {
    code: 'DOCS',
    title_ru: 'Лишние документы и справки',
    title_en: 'Excess documents and certificates',
    rules: ['лишние документы', 'справку', 'справки', 'копии', 'потребовали документ', 'принести документ'],
  },
  {
    code: 'ONLINE',
    title_ru: 'Сбои электронной услуги',
    title_en: 'Online service failures',
    rules: [
      'госуслуги',
      'портал',
      'сайт',
      'ошибка',
      'не работает',
      'личный кабинет',
      'не загружается',
      'зависает',
    ],
  },
  {
    code: 'INFO',
    title_ru: 'Непонятная информация о порядке',
    title_en: 'Unclear information on the procedure',
    rules: ['непонятно', 'не понятно', 'информация', 'разъяснение', 'консультация', 'никто не знает'],
  },
  {
    code: 'PHONE',
    title_ru: 'Не дозвониться',
    title_en: 'Cannot get through by phone',
    rules: ['не дозвониться', 'не дозвонился', 'телефон', 'горячая линия', 'не берут трубку'],
  },
  {
    code: 'PREMISES',
    title_ru: 'Условия в помещении и доступность',
    title_en: 'Premises and accessibility',
    rules: ['душно', 'холодно', 'тесно', 'пандус', 'парковка', 'негде сесть', 'туалет'],
  },
  {
    code: 'REFUSAL',
    title_ru: 'Отказ в услуге',
    title_en: 'Refusal of the service',
    rules: ['отказ', 'отказали', 'отказано', 'вернули заявление'],
  },
];
