// Demo target states and indicators for the 11 life situations of the Novosibirsk roadmap (pure data, no logic).
// Figures are illustrative (as-is → to-be per the 837-р target-state template), not measured values.
// termDays: days to result; visits: in-person visits; documents: documents the applicant brings; applications:
// separate applications filed; avgRating: 1–5; shareOnline: % of applications filed online.

export interface TargetStateData {
  asIs: {
    termDays: number;
    visits: number;
    documents: number;
    applications: number;
    avgRating: number;
    shareOnline: number;
  };
  toBe: {
    termDays: number;
    visits: number;
    documents: number;
    applications: number;
    avgRating: number;
    shareOnline: number;
    eForm: boolean;
    proactive: boolean;
  };
  scenarioSteps: string[];
}

export const TARGET_STATES: Record<string, TargetStateData> = {
  'FLS-IZHS': {
    asIs: { termDays: 90, visits: 5, documents: 12, applications: 6, avgRating: 3.6, shareOnline: 25 },
    toBe: {
      termDays: 30,
      visits: 1,
      documents: 4,
      applications: 2,
      avgRating: 4.5,
      shareOnline: 80,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Гражданин подбирает земельный участок на публичной кадастровой карте и подает заявление на ЕПГУ',
      'ДИЗО НСО предоставляет участок, сведения о правах регистрируются без дополнительного обращения',
      'Гражданин направляет уведомление о планируемом строительстве и одновременно заявку на догазификацию',
      'После завершения строительства подается уведомление об окончании строительства, регистрация прав проходит автоматически',
      'Гражданин оценивает полученные услуги на ЕПГУ',
    ],
  },
  'FLS-HUNT': {
    asIs: { termDays: 20, visits: 3, documents: 5, applications: 3, avgRating: 3.9, shareOnline: 35 },
    toBe: {
      termDays: 5,
      visits: 0,
      documents: 1,
      applications: 1,
      avgRating: 4.6,
      shareOnline: 95,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Гражданин получает охотничий билет в электронном виде на ЕПГУ',
      'Гражданин подает заявку на участие в распределении разрешений на добычу охотничьих ресурсов',
      'Результаты жеребьевки и разрешение на добычу направляются в личный кабинет',
      'Госпошлина оплачивается онлайн, разрешение отображается в мобильном приложении',
    ],
  },
  'FLS-MEATMILK': {
    asIs: { termDays: 15, visits: 3, documents: 7, applications: 4, avgRating: 3.7, shareOnline: 60 },
    toBe: {
      termDays: 3,
      visits: 0,
      documents: 3,
      applications: 1,
      avgRating: 4.4,
      shareOnline: 95,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Производитель регистрирует поднадзорное предприятие в государственной информационной системе в области ветеринарии',
      'Отбор проб и лабораторные исследования назначаются через личный кабинет',
      'Ветеринарные сопроводительные документы оформляются в электронной форме',
      'Продукция маркируется и выпускается в оборот без посещения органов власти',
    ],
  },
  'FLS-LARGEFAM': {
    asIs: { termDays: 30, visits: 4, documents: 8, applications: 5, avgRating: 3.8, shareOnline: 30 },
    toBe: {
      termDays: 10,
      visits: 1,
      documents: 2,
      applications: 1,
      avgRating: 4.6,
      shareOnline: 80,
      eForm: true,
      proactive: true,
    },
    scenarioSteps: [
      'После регистрации рождения третьего ребенка семья получает уведомление о статусе многодетной семьи',
      'Электронное удостоверение многодетной семьи оформляется без заявления',
      'Меры социальной поддержки назначаются проактивно по сведениям межведомственного взаимодействия',
      'Семья подает одно заявление на ЕПГУ о предоставлении земельного участка или денежной компенсации взамен него',
      'Семья оценивает качество предоставления мер поддержки',
    ],
  },
  'FLS-DOCS': {
    asIs: { termDays: 25, visits: 4, documents: 6, applications: 4, avgRating: 3.9, shareOnline: 20 },
    toBe: {
      termDays: 10,
      visits: 1,
      documents: 2,
      applications: 1,
      avgRating: 4.5,
      shareOnline: 70,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Гражданин подает заявление о регистрации брака (расторжения брака) на ЕПГУ и выбирает дату',
      'После регистрации акта гражданского состояния приходит уведомление о документах, подлежащих замене',
      'Гражданин одним заявлением запрашивает замену паспорта и других документов',
      'Гражданин один раз посещает подразделение или МФЦ для получения документов',
    ],
  },
  'FLS-RELOC': {
    asIs: { termDays: 30, visits: 5, documents: 7, applications: 6, avgRating: 3.7, shareOnline: 25 },
    toBe: {
      termDays: 7,
      visits: 1,
      documents: 2,
      applications: 1,
      avgRating: 4.5,
      shareOnline: 75,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Гражданин подает заявление о регистрации по месту жительства на ЕПГУ или в МФЦ',
      'По комплексному запросу гражданину предлагается прикрепиться к поликлинике и записать детей в школу и детский сад',
      'Сведения о новом адресе передаются в органы власти без повторного обращения',
      'Гражданин получает результаты в личном кабинете и оценивает услуги',
    ],
  },
  'RLS-NSO-EXTRACURR': {
    asIs: { termDays: 14, visits: 2, documents: 4, applications: 3, avgRating: 4.1, shareOnline: 50 },
    toBe: {
      termDays: 3,
      visits: 0,
      documents: 1,
      applications: 1,
      avgRating: 4.7,
      shareOnline: 90,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Родитель выбирает кружок или секцию в навигаторе дополнительного образования',
      'Сертификат дополнительного образования оформляется автоматически при первой записи',
      'Родитель подает заявку онлайн и получает подтверждение зачисления',
      'Сведения о путевках в лагеря и спортивных мероприятиях приходят в личный кабинет',
    ],
  },
  'RLS-NSO-MKD': {
    asIs: { termDays: 30, visits: 3, documents: 5, applications: 3, avgRating: 3.4, shareOnline: 15 },
    toBe: {
      termDays: 15,
      visits: 1,
      documents: 2,
      applications: 1,
      avgRating: 4.2,
      shareOnline: 60,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Собственники проводят общее собрание в электронной форме',
      'Решение о выборе способа управления или управляющей организации направляется в ГЖИ НСО онлайн',
      'Сведения вносятся в реестр лицензий, собственники получают уведомление',
      'Собственник узнает сроки капитального ремонта и состояние расчетов в личном кабинете',
      'Жалобы на качество жилищно-коммунальных услуг подаются и отслеживаются онлайн',
    ],
  },
  'RLS-NSO-DISAB': {
    asIs: { termDays: 45, visits: 5, documents: 10, applications: 4, avgRating: 3.5, shareOnline: 10 },
    toBe: {
      termDays: 20,
      visits: 1,
      documents: 3,
      applications: 1,
      avgRating: 4.3,
      shareOnline: 50,
      eForm: true,
      proactive: true,
    },
    scenarioSteps: [
      'Медицинская организация направляет гражданина на медико-социальную экспертизу в электронной форме',
      'Экспертиза проводится без личного заявления, решение поступает в личный кабинет',
      'Меры социальной поддержки и социальное обслуживание назначаются проактивно',
      'Гражданин получает технические средства реабилитации и оценивает качество услуг',
    ],
  },
  'RLS-NSO-KINDER': {
    asIs: { termDays: 30, visits: 3, documents: 6, applications: 3, avgRating: 3.9, shareOnline: 45 },
    toBe: {
      termDays: 7,
      visits: 1,
      documents: 2,
      applications: 1,
      avgRating: 4.6,
      shareOnline: 90,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Родитель после регистрации рождения получает предложение поставить ребенка на учет в детский сад',
      'Родитель подает заявление на ЕПГУ и отслеживает очередь',
      'Направление в детский сад поступает в личный кабинет',
      'Родитель один раз посещает детский сад для заключения договора, компенсация родительской платы назначается автоматически',
    ],
  },
  'RLS-NSO-POOR': {
    asIs: { termDays: 30, visits: 4, documents: 9, applications: 4, avgRating: 3.6, shareOnline: 20 },
    toBe: {
      termDays: 10,
      visits: 1,
      documents: 3,
      applications: 1,
      avgRating: 4.4,
      shareOnline: 65,
      eForm: true,
      proactive: false,
    },
    scenarioSteps: [
      'Гражданин подает одно заявление о признании семьи малоимущей на ЕПГУ или в МФЦ',
      'Сведения о доходах и имуществе запрашиваются по межведомственным запросам',
      'Гражданину предлагаются все доступные меры поддержки, включая социальный контракт',
      'Социальный контракт заключается за одно посещение, выплаты поступают на счет',
      'Гражданин оценивает качество помощи',
    ],
  },
};

export const INDICATORS: {
  code: string;
  title_ru: string;
  title_en: string;
  unit: string;
  higherIsBetter: boolean;
}[] = [
  {
    code: 'TERM_DAYS',
    title_ru: 'Срок получения результата',
    title_en: 'Time to result',
    unit: 'дн.',
    higherIsBetter: false,
  },
  {
    code: 'VISITS',
    title_ru: 'Количество личных посещений органов власти и МФЦ',
    title_en: 'Number of in-person visits to authorities and MFCs',
    unit: 'ед.',
    higherIsBetter: false,
  },
  {
    code: 'SHARE_ONLINE',
    title_ru: 'Доля заявлений, поданных в электронной форме',
    title_en: 'Share of applications filed online',
    unit: '%',
    higherIsBetter: true,
  },
  {
    code: 'SATISFACTION',
    title_ru: 'Средняя оценка удовлетворенности граждан',
    title_en: 'Average citizen satisfaction score',
    unit: 'балл',
    higherIsBetter: true,
  },
];
