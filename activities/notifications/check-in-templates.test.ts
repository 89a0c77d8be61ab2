import { describe, expect, it } from 'vitest';
import { render } from './templates.ts';

const HOSTILE = '<script>alert(1)</script> & "q"';
const base = {
  itemRef: '',
  title: 'Дорожная карта',
  url: 'https://shtab.example/check-ins/7',
  due: '2025-03-21',
};

describe('check-in notification templates', () => {
  it('lists the requested items, overdue first, with the form link (ru and en)', () => {
    const ctx = {
      ...base,
      checkIn: {
        meetingDate: '2025-03-21',
        meetingTime: '10:00',
        roadmap: 'Дорожная карта',
        items: [
          { ref: '№ 3', title: 'Описание целевого состояния', due: '2025-03-10', reason: 'overdue' as const },
          { ref: '№ 8', title: 'План оптимизации', due: '2025-04-01', reason: 'open' as const },
        ],
      },
    };
    const ru = render('checkin_request', ctx, 'ru');
    expect(ru.subject).toBe('Статус к совещанию 21.03.2025: 2 пункт(ов)');
    expect(ru.text).toContain('К совещанию 21.03.2025 10:00 представьте краткую статусную заметку');
    expect(ru.text).toContain('• № 3 «Описание целевого состояния» — срок 10.03.2025 — просрочено');
    expect(ru.text).toContain('https://shtab.example/check-ins/7');
    const en = render('checkin_request', ctx, 'en');
    expect(en.text).toContain('• № 3 «Описание целевого состояния» — due 10 Mar 2025 — overdue');
  });

  it('escapes hostile titles and notes in the HTML digest email, keeps them readable in the text', () => {
    const m = render(
      'checkin_digest',
      {
        ...base,
        checkIn: {
          meetingDate: '2025-03-21',
          meetingTime: '10:00',
          roadmap: HOSTILE,
          summary: {
            total: 10,
            done: 4,
            overdue: 2,
            closed: 1,
            newlyOverdue: 1,
            upcoming: 3,
            instructionsAsked: 2,
            instructionsDone: 1,
          },
          instructions: [
            { ref: '#41', title: HOSTILE, due: '2025-03-20', agency: 'Минтруд', status: 'done' },
          ],
          items: [
            { ref: '№ 5', title: 'x', due: '2025-03-01', agency: 'Минцифры', daysOverdue: 20, level: 4 },
          ],
          links: [{ label: 'xlsx' as const, url: 'https://shtab.example/check-ins/7/digest.xlsx' }],
        },
      },
      'ru',
    );
    expect(m.subject).toBe('Сводка к совещанию 21.03.2025: просрочено 2');
    expect(m.text).toContain('Поручения прошлой недели: исполнено 1 из 2.');
    expect(m.text).toContain(`• #41 «${HOSTILE}» — Минтруд — срок 20.03.2025 — исполнено`);
    expect(m.text).toContain('просрочено на 20 дн. — уровень эскалации 4');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;');
    expect(m.html).toContain('<a href="https://shtab.example/check-ins/7">');
  });
});
