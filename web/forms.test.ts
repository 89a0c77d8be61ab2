import { describe, expect, it } from 'vitest';
import { checkForm, date, formSchema, readDate, text } from './forms.ts';

describe('dates typed as day / month / year', () => {
  it('round-trip the typed date exactly, whatever the browser locale would guess', () => {
    expect(readDate({ day: '15', month: '01', year: '2027' })).toEqual({ ok: true, date: '2027-01-15' });
    expect(readDate({ day: '5', month: '3', year: '2027' })).toEqual({ ok: true, date: '2027-03-05' });
  });

  it('never misread or roll over: every doubtful input is a problem with its key', () => {
    // "15012027" typed into the day box: not a day, never 1 December 2027.
    expect(readDate({ day: '15012027', month: '', year: '' })).toEqual({
      ok: false,
      key: 'error.date.incomplete',
    });
    expect(readDate({ day: '15012027', month: '1', year: '2027' })).toEqual({
      ok: false,
      key: 'error.date.notReal',
    });
    expect(readDate({ day: '31', month: '2', year: '2027' })).toEqual({
      ok: false,
      key: 'error.date.notReal',
    });
    expect(readDate({ day: '1', month: '13', year: '2027' })).toEqual({
      ok: false,
      key: 'error.date.notReal',
    });
    expect(readDate({ day: '1', month: '1', year: '27' })).toEqual({ ok: false, key: 'error.date.year' });
    expect(readDate({ day: '1', month: '', year: '2027' })).toEqual({
      ok: false,
      key: 'error.date.incomplete',
    });
  });

  it('take one ISO or full Russian date from clients that post a single value, and nothing else', () => {
    expect(readDate('2027-01-15')).toEqual({ ok: true, date: '2027-01-15' });
    expect(readDate('15.01.2027')).toEqual({ ok: true, date: '2027-01-15' });
    expect(readDate('15012027')).toEqual({ ok: false, key: 'error.date.format' });
    expect(readDate('01/15/2027')).toEqual({ ok: false, key: 'error.date.format' });
    expect(readDate('2027-02-30')).toEqual({ ok: false, key: 'error.date.notReal' });
    expect(readDate('')).toEqual({ ok: true, date: '' });
  });

  it('a form schema joins a DateField’s three inputs and reports the problem under the field’s name', () => {
    const schema = formSchema({ due: date({ required: 'error.field.date' }), note: text() });
    expect(checkForm({ 'due-day': '15', 'due-month': '1', 'due-year': '2027', note: 'x' }, schema)).toEqual({
      ok: true,
      value: { due: '2027-01-15', note: 'x' },
    });
    expect(checkForm({ 'due-day': '', 'due-month': '', 'due-year': '' }, schema)).toEqual({
      ok: false,
      issues: [{ field: 'due', key: 'error.field.date' }],
    });
    expect(checkForm({ 'due-day': '30', 'due-month': '2', 'due-year': '2027' }, schema)).toEqual({
      ok: false,
      issues: [{ field: 'due', key: 'error.date.notReal' }],
    });
    // An optional date not posted at all is empty; a single ISO value still works (the API's way).
    expect(checkForm({}, formSchema({ due: date() }))).toEqual({ ok: true, value: { due: '' } });
    expect(checkForm({ due: '2027-01-15' }, schema)).toMatchObject({
      ok: true,
      value: { due: '2027-01-15' },
    });
  });
});
