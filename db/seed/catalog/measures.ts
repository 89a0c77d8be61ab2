// Demo roadmap catalogue (pure data, no logic): 11 life situations × 4 per-life-situation templates = 44 measures,
// plus 16 programme-wide measures = the 60-measure roadmap of the Novosibirsk seed fact.
// `type` values are reference.json roadmap_reference.measure_types. In titles `{ls}` stands for the life-situation
// title in guillemets, e.g. «Многодетная семья».

export interface MeasureTemplate {
  type: string;
  title_ru: string;
  title_en: string;
  deliverable_ru: string;
  perLifeSituation: boolean;
  recurrence?: 'monthly' | 'quarterly' | 'yearly';
}

export const MEASURE_TEMPLATES: MeasureTemplate[] = [
  {
    type: 'target_state_description',
    title_ru:
      'Разработка и утверждение описания целевого состояния жизненной ситуации {ls} (пользовательский сценарий, процессы, этапы перехода)',
    title_en:
      'Development and approval of the target-state description of the life situation {ls} (user scenario, processes, transition phases)',
    deliverable_ru: 'Протокол заседания межведомственной рабочей группы',
    perLifeSituation: true,
  },
  {
    type: 'optimization_plan',
    title_ru: 'Утверждение плана оптимизации государственных услуг, входящих в жизненную ситуацию {ls}',
    title_en: 'Approval of the optimisation plan for the state services included in the life situation {ls}',
    deliverable_ru: 'Приказ министерства',
    perLifeSituation: true,
  },
  {
    type: 'mystery_shopping',
    title_ru:
      'Проведение контрольной закупки и хронометража этапов предоставления услуг по жизненной ситуации {ls}',
    title_en:
      'Mystery shopping and time-and-motion study of the service delivery steps in the life situation {ls}',
    deliverable_ru: 'Отчёт о проведении контрольной закупки',
    perLifeSituation: true,
  },
  {
    type: 'it_service_launch',
    title_ru:
      'Внедрение целевого состояния жизненной ситуации {ls}: запуск электронных сервисов на ЕПГУ и внесение изменений в административные регламенты',
    title_en:
      'Implementation of the target state of the life situation {ls}: launch of electronic services on the Unified Portal and amendment of administrative regulations',
    deliverable_ru:
      'Акт ввода сервиса в эксплуатацию и приказ о внесении изменений в административные регламенты',
    perLifeSituation: true,
  },
];

export const PROGRAMME_MEASURES: {
  title_ru: string;
  title_en: string;
  deliverable_ru: string;
  type: string;
  agency: string;
  recurrence?: 'quarterly' | 'monthly' | 'yearly';
}[] = [
  {
    title_ru:
      'Утверждение порядка внедрения стандарта клиентоцентричности в исполнительных органах Новосибирской области',
    title_en:
      'Approval of the procedure for introducing the client-centricity standard in the executive bodies of Novosibirsk Oblast',
    deliverable_ru: 'Постановление Правительства Новосибирской области',
    type: 'normative_act',
    agency: 'MER',
  },
  {
    title_ru:
      'Утверждение перечня массовых социально значимых услуг Новосибирской области, подлежащих переводу в электронный вид',
    title_en:
      'Approval of the list of mass socially significant services of Novosibirsk Oblast to be converted to electronic form',
    deliverable_ru: 'Распоряжение Правительства Новосибирской области',
    type: 'normative_act',
    agency: 'MCR',
  },
  {
    title_ru:
      'Назначение кураторов массовых социально значимых услуг с размещением сведений о кураторе на странице услуги',
    title_en:
      'Appointment of curators for mass socially significant services, with the curator details published on the service page',
    deliverable_ru: 'Распоряжение Правительства Новосибирской области',
    type: 'order_on_responsibles',
    agency: 'MCR',
  },
  {
    title_ru:
      'Утверждение методики проведения контрольных закупок («тайный покупатель») и хронометража предоставления государственных услуг',
    title_en:
      'Approval of the methodology for mystery shopping and time-and-motion studies of state service delivery',
    deliverable_ru: 'Приказ министерства',
    type: 'methodology',
    agency: 'MER',
  },
  {
    title_ru:
      'Инвентаризация нормативных правовых актов и административных регламентов предоставления государственных услуг на соответствие принципам клиентоцентричности',
    title_en:
      'Inventory of regulations and administrative regulations of state services for compliance with client-centricity principles',
    deliverable_ru: 'Реестр выявленных избыточных требований и предложений по их устранению',
    type: 'regulation_inventory',
    agency: 'MER',
  },
  {
    title_ru:
      'Внесение изменений в административные регламенты предоставления государственных услуг по итогам инвентаризации',
    title_en: 'Amendment of the administrative regulations of state services following the inventory',
    deliverable_ru: 'Приказы исполнительных органов Новосибирской области',
    type: 'normative_act',
    agency: 'MER',
  },
  {
    title_ru: 'Оценка соответствия государственных услуг Новосибирской области принципам клиентоцентричности',
    title_en:
      'Assessment of the compliance of Novosibirsk Oblast state services with client-centricity principles',
    deliverable_ru: 'Сводный отчёт об оценке услуг',
    type: 'compliance_check',
    agency: 'MCR',
  },
  {
    title_ru: 'Улучшение не менее 20 % государственных услуг, получивших низкие оценки граждан',
    title_en: 'Improvement of at least 20% of the state services that received low citizen ratings',
    deliverable_ru: 'План улучшения услуг с низкими оценками и отчёт о его выполнении',
    type: 'optimization_plan',
    agency: 'MCR',
  },
  {
    title_ru: 'Проведение опроса граждан об удовлетворённости качеством предоставления государственных услуг',
    title_en: 'Survey of citizen satisfaction with the quality of state service delivery',
    deliverable_ru: 'Аналитический отчёт о результатах опроса',
    type: 'survey_results',
    agency: 'MCR',
    recurrence: 'yearly',
  },
  {
    title_ru:
      'Подключение массовых социально значимых услуг к платформе обратной связи ЕПГУ для сбора оценок после каждой услуги',
    title_en:
      'Connection of mass socially significant services to the Unified Portal feedback platform to collect a rating after every service',
    deliverable_ru: 'Акт ввода в эксплуатацию',
    type: 'it_service_launch',
    agency: 'MCR',
  },
  {
    title_ru: 'Внедрение в МФЦ сбора оценок заявителей после получения каждой услуги',
    title_en: 'Introduction at the MFC of collecting applicant ratings after every service received',
    deliverable_ru: 'Приказ ГАУ НСО «МФЦ»',
    type: 'it_service_launch',
    agency: 'MFC',
  },
  {
    title_ru:
      'Перевод мер социальной поддержки семей с детьми в проактивный (беззаявительный) формат предоставления',
    title_en:
      'Switching social support measures for families with children to proactive (application-free) delivery',
    deliverable_ru: 'Постановление Правительства Новосибирской области',
    type: 'it_service_launch',
    agency: 'MTSR',
  },
  {
    title_ru: 'Обучение сотрудников МФЦ стандартам клиентоцентричного обслуживания заявителей',
    title_en: 'Training of MFC staff in client-centric customer service standards',
    deliverable_ru: 'Отчёт об обучении',
    type: 'training',
    agency: 'MFC',
  },
  {
    title_ru:
      'Обучение государственных гражданских служащих исполнительных органов Новосибирской области основам клиентоцентричности',
    title_en:
      'Training of civil servants of the executive bodies of Novosibirsk Oblast in client-centricity basics',
    deliverable_ru: 'Отчёт об обучении',
    type: 'training',
    agency: 'MER',
  },
  {
    title_ru:
      'Ежеквартальный отчёт в Минэкономразвития России о ходе внедрения стандарта клиентоцентричности (распоряжение Правительства РФ от 11.04.2022 № 837-р)',
    title_en:
      'Quarterly report to the Ministry of Economic Development of Russia on the introduction of the client-centricity standard (Government Order No. 837-r of 11.04.2022)',
    deliverable_ru: 'Отчёт в Минэкономразвития России',
    type: 'report',
    agency: 'MER',
    recurrence: 'quarterly',
  },
  {
    title_ru: 'Ежемесячный мониторинг исполнения дорожной карты и поручений межведомственной рабочей группы',
    title_en: 'Monthly monitoring of the roadmap and of the instructions of the interagency working group',
    deliverable_ru: 'Информационно-аналитическая справка',
    type: 'report',
    agency: 'MCR',
    recurrence: 'monthly',
  },
];

export const LEAD_AGENCY: Record<string, string> = {
  'FLS-IZHS': 'MS',
  'FLS-HUNT': 'MPR',
  'FLS-MEATMILK': 'UVET',
  'FLS-LARGEFAM': 'MTSR',
  'FLS-DOCS': 'ZAGS',
  'FLS-RELOC': 'MFC',
  'RLS-NSO-EXTRACURR': 'MO',
  'RLS-NSO-MKD': 'MZHKKHE',
  'RLS-NSO-DISAB': 'MTSR',
  'RLS-NSO-KINDER': 'MO',
  'RLS-NSO-POOR': 'MTSR',
};

export const CO_AGENCIES: Record<string, string[]> = {
  'FLS-IZHS': ['DIZO', 'MZHKKHE'],
  'FLS-HUNT': ['MFC'],
  'FLS-MEATMILK': ['MSKH'],
  'FLS-LARGEFAM': ['DIZO', 'MFC'],
  'FLS-DOCS': ['MFC'],
  'FLS-RELOC': ['MZ', 'MO'],
  'RLS-NSO-EXTRACURR': ['MK', 'MFKS'],
  'RLS-NSO-MKD': ['GZHI'],
  'RLS-NSO-DISAB': ['MZ'],
  'RLS-NSO-KINDER': ['MCR'],
  'RLS-NSO-POOR': ['MFC'],
};
