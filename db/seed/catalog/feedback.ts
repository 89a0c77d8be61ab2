// Demo remarks of citizens (pure data): what people write after a service, by topic, in their own words.
// Invented but typical of ПОС and МФЦ reviews; no personal data.

export const MUNICIPALITIES: { code: string; title_ru: string; title_en: string; short_ru: string }[] = [
  {
    code: 'MO-NSK',
    title_ru: 'Мэрия города Новосибирска',
    title_en: 'Novosibirsk City Hall',
    short_ru: 'г. Новосибирск',
  },
  {
    code: 'MO-BERDSK',
    title_ru: 'Администрация города Бердска',
    title_en: 'Berdsk city administration',
    short_ru: 'г. Бердск',
  },
  {
    code: 'MO-ISKITIM',
    title_ru: 'Администрация города Искитима',
    title_en: 'Iskitim city administration',
    short_ru: 'г. Искитим',
  },
  {
    code: 'MO-OB',
    title_ru: 'Администрация города Оби',
    title_en: 'Ob city administration',
    short_ru: 'г. Обь',
  },
  {
    code: 'MO-NSKR',
    title_ru: 'Администрация Новосибирского района',
    title_en: 'Novosibirsk district administration',
    short_ru: 'Новосибирский р-н',
  },
  {
    code: 'MO-KOLYVAN',
    title_ru: 'Администрация Колыванского района',
    title_en: 'Kolyvan district administration',
    short_ru: 'Колыванский р-н',
  },
  {
    code: 'MO-BARABINSK',
    title_ru: 'Администрация Барабинского района',
    title_en: 'Barabinsk district administration',
    short_ru: 'Барабинский р-н',
  },
  {
    code: 'MO-KARASUK',
    title_ru: 'Администрация Карасукского района',
    title_en: 'Karasuk district administration',
    short_ru: 'Карасукский р-н',
  },
  {
    code: 'MO-KUPINO',
    title_ru: 'Администрация Купинского района',
    title_en: 'Kupino district administration',
    short_ru: 'Купинский р-н',
  },
  {
    code: 'MO-TOGUCHIN',
    title_ru: 'Администрация Тогучинского района',
    title_en: 'Toguchin district administration',
    short_ru: 'Тогучинский р-н',
  },
];

export const MFC_OFFICES = [
  'МФЦ «Зорге»',
  'МФЦ «Красный проспект»',
  'МФЦ «Горский»',
  'МФЦ «Родники»',
  'МФЦ Бердск',
  'МФЦ Искитим',
  'МФЦ Колывань',
  'МФЦ Барабинск',
];

/** Remarks behind low ratings, by the default taxonomy's topics (so the demo's panel has something to say). */
export const NEGATIVE_REMARKS: string[] = [
  'Очередь больше часа, талон электронной очереди не работал',
  'Долго ждали в очереди, окон открыто только два',
  'Два раза приходила, каждый раз потребовали новые справки',
  'Потребовали лишние документы, хотя всё есть в базе',
  'Сотрудник нагрубил и не объяснил, какие документы нужны',
  'Невежливо разговаривали, отправили в другое окно',
  'На госуслугах ошибка при отправке заявления, личный кабинет зависает',
  'Портал не работает уже неделю, заявление не загружается',
  'Сроки затянули: обещали десять дней, прошёл месяц',
  'До сих пор не выдали удостоверение, задержка без объяснений',
  'Не дозвониться на горячую линию, телефон всё время занят',
  'Непонятно, какие документы нужны, на сайте одна информация, в МФЦ другая',
  'Отказали без объяснения причин, вернули заявление',
  'В зале душно и негде сесть, нет пандуса',
  'Консультация ничего не прояснила, никто не знает порядок',
];

export const NEUTRAL_REMARKS: string[] = [
  'В целом нормально, но пришлось подождать',
  'Оформили, но со второго раза',
  'Всё сделали, хотя справку пришлось донести',
];

export const POSITIVE_REMARKS: string[] = [
  'Всё быстро и вежливо, спасибо',
  'Подала заявление через портал за пять минут, очень удобно',
  'Сотрудник всё объяснил, документы приняли сразу',
  'Удостоверение пришло в личный кабинет без визита, спасибо',
  'Отличная работа МФЦ, никаких очередей',
];

export const CURATOR_ANSWERS: { text: string; fixed: boolean | null }[] = [
  {
    text: 'Благодарим за обращение. Перечень документов сокращён, лишние справки больше не запрашиваются.',
    fixed: true,
  },
  {
    text: 'С сотрудником проведена беседа, приносим извинения. Проведено обучение персонала офиса.',
    fixed: true,
  },
  { text: 'Ошибка портала устранена разработчиком, заявление можно подать повторно.', fixed: true },
  { text: 'Открыто дополнительное окно приёма в часы пик; следим за очередью.', fixed: null },
  {
    text: 'Срок нарушен из-за межведомственного запроса; документ выдан, ответственный наказан.',
    fixed: false,
  },
];

/** The demo's directions: by the agency that provides a service or owns a measure. */
export const DIRECTION_OF_AGENCY: Record<string, string> = {
  MZ: 'MED',
  MO: 'EDU',
  MS: 'INFRA',
  MZHKKHE: 'INFRA',
  GZHI: 'INFRA',
  DIZO: 'INFRA',
  MTDH: 'INFRA',
  MK: 'LEISURE',
  MFKS: 'LEISURE',
  MPR: 'R-NATURE',
  MTSR: 'SOCPROT',
  MER: 'JOBS',
  MCR: 'GOVSERV',
  MFC: 'GOVSERV',
  ZAGS: 'GOVSERV',
  MSKH: 'R-AGRO',
  UVET: 'R-AGRO',
};
