import { defineMessages } from '../define.ts';

// Input the app refuses before any handler sees it (web/form-guard.ts).
export default defineMessages({
  ru: {
    'error.input.nul':
      'Поле «{field}» содержит недопустимый символ (NUL). Удалите его и отправьте форму снова.',
  },
  en: {
    'error.input.nul':
      'The field “{field}” contains a forbidden character (NUL). Remove it and submit again.',
  },
});
