import { defineMessages } from '../define.ts';

// Roadmap import/export, the changeDeadline action and its events.
export default defineMessages({
  ru: {
    'nav.imports': 'Импорт и экспорт',
    'imports.title': 'Импорт дорожной карты',
    'imports.intro':
      'Загрузите таблицу Excel (.xlsx) в привычном виде: № п/п, наименование мероприятия, срок исполнения, ответственный исполнитель, соисполнители, результат / вид документа, жизненная ситуация. Файл проверяется целиком: если хотя бы в одной строке ошибка, ничего не записывается. Повторная загрузка обновляет мероприятия по номеру, не создавая дублей.',
    'imports.roadmap': 'Дорожная карта',
    'imports.newRoadmap': 'Новая дорожная карта…',
    'imports.newRoadmapTitle': 'Название новой дорожной карты',
    'imports.file': 'Файл',
    'imports.fileHint': 'Книга Excel (.xlsx), не более {mb} МБ',
    'imports.submit': 'Загрузить',
    'imports.recent': 'Последние загрузки',
    'imports.none': 'Загрузок ещё не было.',
    'imports.job': 'Задание',
    'imports.when': 'Когда',
    'imports.who': 'Кто',
    'imports.statusLabel': 'Состояние',
    'imports.jobTitle': 'Импорт № {id}',
    'error.import.notFound': 'Задание импорта не найдено',
    'imports.progress': 'Ход импорта',
    'imports.counts':
      'Проверено строк: {rows} из {rowsTotal}. Поставлено на контроль: {workflows} из {workflowsTotal}.',
    'imports.failed':
      'Импорт не выполнен, в дорожную карту ничего не записано. Исправьте файл и загрузите его снова.',
    'imports.status.queued': 'В очереди',
    'imports.status.running': 'Выполняется',
    'imports.status.failed': 'Ошибка',
    'imports.status.done': 'Готово',
    'imports.phase.queued': 'ожидание',
    'imports.phase.reading': 'чтение файла',
    'imports.phase.validating': 'проверка строк',
    'imports.phase.writing': 'запись',
    'imports.phase.starting': 'постановка на контроль',
    'imports.phase.finished': 'завершено',
    'imports.errors.caption': 'Найдено ошибок: {count}',
    'imports.errors.row': 'Строка',
    'imports.errors.column': 'Столбец',
    'imports.errors.problem': 'Что не так',
    'imports.result.inserted': 'новых мероприятий',
    'imports.result.updated': 'обновлено',
    'imports.result.unchanged': 'без изменений',
    'imports.result.lifecycle': 'изменений сроков и исполнителей',
    'imports.result.missing': 'нет в файле',
    'imports.result.openItems': 'Открыть дорожную карту',
    'imports.result.lifecycleTitle': 'Изменения сроков и исполнителей (через процесс контроля)',
    'imports.result.newDeadline': 'новый срок {due}',
    'imports.result.reassigned': 'смена исполнителей',
    'imports.result.rejected':
      'Не применено изменений: {count} — мероприятие изменилось после проверки файла.',
    'imports.result.missingTitle': 'Мероприятия, которых нет в файле',
    'imports.result.missingHint':
      'Они не удалены. Если мероприятие исключено из дорожной карты, отмените его на странице мероприятия.',
    'imports.result.closedSkipped':
      'Срок или исполнитель в файле отличается, но мероприятие уже закрыто и не изменено: № {numbers}.',
    'imports.result.pastDeadlines': 'Срок уже прошёл, мероприятия сразу просрочены: № {numbers}.',
    'imports.result.moved':
      'Сроков, перенесённых с выходного или праздника на предшествующий рабочий день: {count}.',
    'imports.result.ignored': 'Не используются столбцы: «{columns}».',
    'exports.title': 'Выгрузка в Excel',
    'exports.roadmap': 'Ход исполнения: {title}',
    'exports.services': 'Реестр услуг с последними оценками',
    'exports.download': 'Выгрузить в Excel (.xlsx)',
    'event.imported': 'Добавлено импортом дорожной карты',
    'event.import_updated': 'Обновлено импортом дорожной карты',
    'event.deadline_changed': 'Рабочая группа изменила срок',
    'error.changeDeadline.same': 'У мероприятия уже этот срок',
    'error.changeDeadline.extensionPending':
      'Ожидает решения запрос о продлении срока: сначала примите решение по нему',
    'error.import.required': 'Ячейка не заполнена',
    'error.import.tooLong': 'Слишком длинный текст (не более {max} символов)',
    'error.import.duplicateNumber': 'Номер {number} уже встречается в строке {first}',
    'error.import.cellError': 'В ячейке ошибка формулы ({value})',
    'error.import.deadline.invalidDate': 'Такой даты нет: «{value}»',
    'error.import.deadline.year': 'Неправдоподобный год: «{value}»',
    'error.import.deadline.several':
      'В ячейке несколько сроков («{value}»): разнесите их по отдельным мероприятиям',
    'error.import.deadline.ambiguousMonth':
      '«{value}» можно понять как «до начала месяца»: укажите дату (например, 30.11.2025) или месяц без «до» («ноябрь 2025»)',
    'error.import.deadline.ambiguousYear': '«{value}» неоднозначно: укажите дату или «2025 год»',
    'error.import.deadline.unreadable':
      'Срок не распознан: «{value}». Укажите дату (31.03.2025), квартал («IV квартал 2025»), месяц («декабрь 2025») или периодичность («ежеквартально»)',
    'error.import.deadline.openEnded':
      'Срок «{value}» нельзя поставить на контроль: укажите дату или периодичность отчёта («ежеквартально», «ежемесячно», «ежегодно»)',
    'error.import.deadline.untilPast': 'Окончание периодичности уже прошло: «{value}»',
    'error.import.agency.unknown':
      'Ведомство не найдено: «{value}». Укажите код, полное или краткое наименование из справочника',
    'error.import.agency.ambiguous': 'Ведомство «{value}» неоднозначно, подходят: {candidates}',
    'error.import.agency.unknownSuggest':
      'Ведомство не найдено: «{value}». Возможно, имелось в виду: {suggestions}. Если это другое название того же ведомства, добавьте его в синонимы (Администрирование → Ведомства)',
    'error.import.agency.disabled':
      'Ведомство «{value}» отключено ({agency}). Укажите действующее ведомство или включите его снова',
    'error.import.responsible.several':
      'Укажите одного ответственного исполнителя («{value}»), остальные ведомства — в столбце «Соисполнители»',
    'error.import.lifeSituation.unknown': 'Жизненная ситуация не найдена: «{value}»',
    'error.import.direction.unknown':
      'Направление не найдено: «{value}». Укажите код или название направления рейтинга или сферы',
    'error.import.direction.ambiguous': 'Направление «{value}» неоднозначно, подходят: {candidates}',
    'error.import.lifeSituation.ambiguous':
      'Жизненная ситуация «{value}» неоднозначна, подходят: {candidates}',
    'error.import.header.missing': 'В строке заголовков нет столбцов: {columns}',
    'error.import.header.notFound': 'Не найдена таблица: нужна строка заголовков со столбцами {columns}',
    'error.import.header.duplicate': 'Столбец «{column}» указан дважды: «{headers}»',
    'error.import.noRows': 'В таблице нет ни одного мероприятия',
    'error.import.noSheet': 'В книге нет ни одного листа',
    'error.import.tooManyRows': 'Слишком много строк: не более {max}',
    'error.import.recurrenceChange':
      'У мероприятия № {number} меняется периодичность ({before} → {after}). Так нельзя: отмените его и добавьте новое под другим номером',
    'error.import.file.empty': 'Файл пуст',
    'error.import.file.ole':
      'Файл защищён паролем или сохранён в старом формате .xls: снимите пароль и сохраните его как «Книга Excel (.xlsx)»',
    'error.import.file.text':
      'Это текстовый файл (CSV, кодировка {encoding}), а не книга Excel: откройте его в Excel и сохраните как «Книга Excel (.xlsx)»',
    'error.import.file.unknown': 'Это не книга Excel (.xlsx)',
    'error.import.file.pdf':
      'Это документ PDF, а не книга Excel: загрузите таблицу дорожной карты, сохранённую в Excel как «Книга Excel (.xlsx)»',
    'error.import.file.html':
      'Это веб-страница (HTML), а не книга Excel, хотя имя файла может оканчиваться на .xlsx: откройте её в Excel и сохраните как «Книга Excel (.xlsx)»',
    'error.import.file.xml':
      'Это файл XML (например, «Таблица XML 2003»), а не книга Excel: откройте его в Excel и сохраните как «Книга Excel (.xlsx)»',
    'error.import.file.image': 'Это изображение, а не книга Excel: загрузите таблицу в формате .xlsx',
    'error.import.file.corrupt': 'Файл повреждён или не является книгой Excel (.xlsx)',
    'error.import.file.tooLarge': 'Файл больше {mb} МБ',
    'error.import.fileRequired': 'Выберите файл .xlsx',
    'error.import.roadmapRequired': 'Выберите дорожную карту',
    'error.import.roadmapTitleRequired': 'Укажите название новой дорожной карты',
    'error.import.notStarted':
      'Не удалось запустить импорт: сервер процессов (Temporal) недоступен. Повторите позже.',
    'error.import.internal': 'Импорт прерван из-за внутренней ошибки: {message}',
    'error.import.lifecycleIncomplete':
      'Строки записаны, но постановка на контроль не завершилась ({message}). Она завершится при следующем запуске обработчика.',
  },
  en: {
    'nav.imports': 'Import and export',
    'imports.title': 'Roadmap import',
    'imports.intro':
      'Upload an Excel workbook (.xlsx) in the usual layout: No., measure, deadline, responsible agency, co-executors, deliverable / document type, life situation. The whole file is checked first: if any row is wrong, nothing is written. Uploading again updates measures by number without creating duplicates.',
    'imports.roadmap': 'Roadmap',
    'imports.newRoadmap': 'New roadmap…',
    'imports.newRoadmapTitle': 'Title of the new roadmap',
    'imports.file': 'File',
    'imports.fileHint': 'Excel workbook (.xlsx), up to {mb} MB',
    'imports.submit': 'Upload',
    'imports.recent': 'Recent uploads',
    'imports.none': 'No uploads yet.',
    'imports.job': 'Job',
    'imports.when': 'When',
    'imports.who': 'By',
    'imports.statusLabel': 'State',
    'imports.jobTitle': 'Import No. {id}',
    'error.import.notFound': 'Import job not found',
    'imports.progress': 'Import progress',
    'imports.counts':
      'Rows checked: {rows} of {rowsTotal}. Put under control: {workflows} of {workflowsTotal}.',
    'imports.failed':
      'The import failed and nothing was written to the roadmap. Fix the file and upload it again.',
    'imports.status.queued': 'Queued',
    'imports.status.running': 'Running',
    'imports.status.failed': 'Failed',
    'imports.status.done': 'Done',
    'imports.phase.queued': 'waiting',
    'imports.phase.reading': 'reading the file',
    'imports.phase.validating': 'checking rows',
    'imports.phase.writing': 'writing',
    'imports.phase.starting': 'putting under control',
    'imports.phase.finished': 'finished',
    'imports.errors.caption': 'Problems found: {count}',
    'imports.errors.row': 'Row',
    'imports.errors.column': 'Column',
    'imports.errors.problem': 'Problem',
    'imports.result.inserted': 'new measures',
    'imports.result.updated': 'updated',
    'imports.result.unchanged': 'unchanged',
    'imports.result.lifecycle': 'deadline and agency changes',
    'imports.result.missing': 'not in the file',
    'imports.result.openItems': 'Open the roadmap',
    'imports.result.lifecycleTitle': 'Deadline and agency changes (through the control workflow)',
    'imports.result.newDeadline': 'new deadline {due}',
    'imports.result.reassigned': 'agencies changed',
    'imports.result.rejected':
      'Changes not applied: {count} — the measure changed after the file was checked.',
    'imports.result.missingTitle': 'Measures missing from the file',
    'imports.result.missingHint':
      'They were not deleted. If a measure was dropped from the roadmap, cancel it on its page.',
    'imports.result.closedSkipped':
      'Deadline or agency differs in the file, but the measure is closed and was left as is: No. {numbers}.',
    'imports.result.pastDeadlines': 'Deadline already passed, these start overdue: No. {numbers}.',
    'imports.result.moved':
      'Deadlines moved from a weekend or holiday to the preceding working day: {count}.',
    'imports.result.ignored': 'Columns not used: “{columns}”.',
    'exports.title': 'Export to Excel',
    'exports.roadmap': 'Progress report: {title}',
    'exports.services': 'Service register with the latest scores',
    'exports.download': 'Download as Excel (.xlsx)',
    'event.imported': 'Added by a roadmap import',
    'event.import_updated': 'Updated by a roadmap import',
    'event.deadline_changed': 'Deadline changed by the working group',
    'error.changeDeadline.same': 'The item already has this deadline',
    'error.changeDeadline.extensionPending': 'An extension request awaits a decision: decide it first',
    'error.import.required': 'The cell is empty',
    'error.import.tooLong': 'Text too long (at most {max} characters)',
    'error.import.duplicateNumber': 'Number {number} already appears in row {first}',
    'error.import.cellError': 'The cell holds a formula error ({value})',
    'error.import.deadline.invalidDate': 'No such date: “{value}”',
    'error.import.deadline.year': 'Implausible year: “{value}”',
    'error.import.deadline.several':
      'Several deadlines in one cell (“{value}”): split them into separate measures',
    'error.import.deadline.ambiguousMonth':
      '“{value}” may mean “before the month starts”: give a date (e.g. 30.11.2025) or the month without “до” (“ноябрь 2025”)',
    'error.import.deadline.ambiguousYear': '“{value}” is ambiguous: give a date or “2025 год”',
    'error.import.deadline.unreadable':
      'Deadline not recognised: “{value}”. Give a date (31.03.2025), a quarter (“IV квартал 2025”), a month (“декабрь 2025”) or a cadence (“ежеквартально”)',
    'error.import.deadline.openEnded':
      'Deadline “{value}” cannot be controlled: give a date or a reporting cadence (“ежеквартально”, “ежемесячно”, “ежегодно”)',
    'error.import.deadline.untilPast': 'The recurrence ends in the past: “{value}”',
    'error.import.agency.unknown':
      'Agency not found: “{value}”. Use its code, full or short name from the register',
    'error.import.agency.ambiguous': 'Agency “{value}” is ambiguous, candidates: {candidates}',
    'error.import.agency.unknownSuggest':
      'Agency not found: “{value}”. Did you mean: {suggestions}? If it is another name of the same agency, add it to its aliases (Administration → Agencies)',
    'error.import.agency.disabled':
      'Agency “{value}” is disabled ({agency}). Name an active agency or enable it again',
    'error.import.responsible.several':
      'Name one responsible agency (“{value}”) and put the others in the co-executors column',
    'error.import.lifeSituation.unknown': 'Life situation not found: “{value}”',
    'error.import.direction.unknown':
      'Direction not found: “{value}”. Give the code or title of a rating direction or sphere',
    'error.import.direction.ambiguous': 'Direction “{value}” is ambiguous, candidates: {candidates}',
    'error.import.lifeSituation.ambiguous': 'Life situation “{value}” is ambiguous, candidates: {candidates}',
    'error.import.header.missing': 'The header row lacks the columns: {columns}',
    'error.import.header.notFound': 'No table found: a header row with the columns {columns} is needed',
    'error.import.header.duplicate': 'Column “{column}” appears twice: “{headers}”',
    'error.import.noRows': 'The table has no measures',
    'error.import.noSheet': 'The workbook has no sheets',
    'error.import.tooManyRows': 'Too many rows: at most {max}',
    'error.import.recurrenceChange':
      'The cadence of measure No. {number} changes ({before} → {after}). Not possible: cancel it and add a new one under another number',
    'error.import.file.empty': 'The file is empty',
    'error.import.file.ole':
      'The file is password-protected or in the old .xls format: remove the password and save it as “Excel Workbook (.xlsx)”',
    'error.import.file.text':
      'This is a text (CSV) file in {encoding}, not an Excel workbook: open it in Excel and save it as “Excel Workbook (.xlsx)”',
    'error.import.file.unknown': 'This is not an Excel workbook (.xlsx)',
    'error.import.file.pdf':
      'This is a PDF document, not an Excel workbook: upload the roadmap table saved in Excel as “Excel Workbook (.xlsx)”',
    'error.import.file.html':
      'This is a web page (HTML), not an Excel workbook, even if its name ends in .xlsx: open it in Excel and save it as “Excel Workbook (.xlsx)”',
    'error.import.file.xml':
      'This is an XML file (e.g. “XML Spreadsheet 2003”), not an Excel workbook: open it in Excel and save it as “Excel Workbook (.xlsx)”',
    'error.import.file.image': 'This is an image, not an Excel workbook: upload the table as .xlsx',
    'error.import.file.corrupt': 'The file is damaged or not an Excel workbook (.xlsx)',
    'error.import.file.tooLarge': 'The file is larger than {mb} MB',
    'error.import.fileRequired': 'Choose an .xlsx file',
    'error.import.roadmapRequired': 'Choose a roadmap',
    'error.import.roadmapTitleRequired': 'Give the new roadmap a title',
    'error.import.notStarted':
      'The import could not be started: the workflow server (Temporal) is unavailable. Try again later.',
    'error.import.internal': 'The import stopped on an internal error: {message}',
    'error.import.lifecycleIncomplete':
      'The rows were written, but putting them under control did not finish ({message}). It finishes when the worker starts next.',
  },
});
