// Fictional demo users (pure data, no logic). Any resemblance to real officials is coincidental.

export const PEOPLE: { last: string; first: string; middle: string; female: boolean }[] = [
  { last: 'Аксёнова', first: 'Ирина', middle: 'Владимировна', female: true },
  { last: 'Белоусов', first: 'Андрей', middle: 'Петрович', female: false },
  { last: 'Воронцова', first: 'Елена', middle: 'Сергеевна', female: true },
  { last: 'Гладков', first: 'Дмитрий', middle: 'Александрович', female: false },
  { last: 'Дроздова', first: 'Наталья', middle: 'Игоревна', female: true },
  { last: 'Ермолаев', first: 'Сергей', middle: 'Николаевич', female: false },
  { last: 'Жданова', first: 'Ольга', middle: 'Викторовна', female: true },
  { last: 'Зуев', first: 'Алексей', middle: 'Михайлович', female: false },
  { last: 'Исаева', first: 'Татьяна', middle: 'Андреевна', female: true },
  { last: 'Калинин', first: 'Максим', middle: 'Олегович', female: false },
  { last: 'Лебедева', first: 'Анна', middle: 'Юрьевна', female: true },
  { last: 'Мартынов', first: 'Игорь', middle: 'Васильевич', female: false },
  { last: 'Никитина', first: 'Светлана', middle: 'Геннадьевна', female: true },
  { last: 'Осипов', first: 'Павел', middle: 'Дмитриевич', female: false },
  { last: 'Полякова', first: 'Марина', middle: 'Алексеевна', female: true },
  { last: 'Рябов', first: 'Владимир', middle: 'Анатольевич', female: false },
  { last: 'Савельева', first: 'Юлия', middle: 'Константиновна', female: true },
  { last: 'Тихонов', first: 'Роман', middle: 'Евгеньевич', female: false },
  { last: 'Устинова', first: 'Екатерина', middle: 'Павловна', female: true },
  { last: 'Фролов', first: 'Николай', middle: 'Борисович', female: false },
  { last: 'Хохлова', first: 'Людмила', middle: 'Ивановна', female: true },
  { last: 'Цветков', first: 'Артём', middle: 'Вадимович', female: false },
  { last: 'Чернова', first: 'Оксана', middle: 'Валерьевна', female: true },
  { last: 'Шилов', first: 'Евгений', middle: 'Романович', female: false },
  { last: 'Щербакова', first: 'Вероника', middle: 'Олеговна', female: true },
  { last: 'Юдин', first: 'Константин', middle: 'Сергеевич', female: false },
  { last: 'Яковлева', first: 'Дарья', middle: 'Максимовна', female: true },
  { last: 'Афанасьев', first: 'Виктор', middle: 'Григорьевич', female: false },
  { last: 'Бондаренко', first: 'Галина', middle: 'Фёдоровна', female: true },
  { last: 'Вершинин', first: 'Илья', middle: 'Андреевич', female: false },
  { last: 'Горбунова', first: 'Алёна', middle: 'Витальевна', female: true },
  { last: 'Денисов', first: 'Олег', middle: 'Юрьевич', female: false },
  { last: 'Ефимова', first: 'Кристина', middle: 'Денисовна', female: true },
  { last: 'Журавлёв', first: 'Антон', middle: 'Викторович', female: false },
  { last: 'Зайцева', first: 'Валентина', middle: 'Петровна', female: true },
  { last: 'Игнатьев', first: 'Михаил', middle: 'Степанович', female: false },
  { last: 'Кудрявцева', first: 'Надежда', middle: 'Аркадьевна', female: true },
  { last: 'Лукин', first: 'Георгий', middle: 'Ильич', female: false },
  { last: 'Медведева', first: 'Софья', middle: 'Артёмовна', female: true },
  { last: 'Назаров', first: 'Станислав', middle: 'Игоревич', female: false },
  { last: 'Орлова', first: 'Виктория', middle: 'Евгеньевна', female: true },
  { last: 'Панкратов', first: 'Василий', middle: 'Николаевич', female: false },
  { last: 'Родионова', first: 'Полина', middle: 'Романовна', female: true },
  { last: 'Соболев', first: 'Кирилл', middle: 'Владимирович', female: false },
  { last: 'Тарасова', first: 'Лариса', middle: 'Михайловна', female: true },
  { last: 'Ушаков', first: 'Григорий', middle: 'Павлович', female: false },
  { last: 'Филиппова', first: 'Евгения', middle: 'Борисовна', female: true },
  { last: 'Харитонов', first: 'Денис', middle: 'Константинович', female: false },
  { last: 'Чистякова', first: 'Маргарита', middle: 'Олеговна', female: true },
  { last: 'Шестаков', first: 'Леонид', middle: 'Аркадьевич', female: false },
  { last: 'Ананьева', first: 'Любовь', middle: 'Васильевна', female: true },
  { last: 'Борисов', first: 'Тимур', middle: 'Ренатович', female: false },
  { last: 'Вдовина', first: 'Ксения', middle: 'Дмитриевна', female: true },
  { last: 'Гусев', first: 'Ярослав', middle: 'Алексеевич', female: false },
  { last: 'Ковалёва', first: 'Инна', middle: 'Станиславовна', female: true },
  { last: 'Лаптев', first: 'Вячеслав', middle: 'Геннадьевич', female: false },
  { last: 'Мельникова', first: 'Алина', middle: 'Эдуардовна', female: true },
  { last: 'Новиков', first: 'Фёдор', middle: 'Ильич', female: false },
  { last: 'Пестова', first: 'Зоя', middle: 'Тимофеевна', female: true },
  { last: 'Сорокин', first: 'Руслан', middle: 'Маратович', female: false },
];

export const POSITIONS: {
  head: string;
  executor: string;
  working_group: string;
  leadership: string;
  admin: string;
} = {
  head: 'Министр',
  executor: 'Консультант отдела',
  working_group: 'Начальник проектного офиса',
  leadership: 'Первый заместитель Губернатора Новосибирской области',
  admin: 'Администратор системы',
};

export const POSITIONS_EN: {
  head: string;
  executor: string;
  working_group: string;
  leadership: string;
  admin: string;
} = {
  head: 'Minister',
  executor: 'Department consultant',
  working_group: 'Head of the project office',
  leadership: 'First Deputy Governor of Novosibirsk Oblast',
  admin: 'System administrator',
};
