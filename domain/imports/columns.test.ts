import { describe, expect, it } from 'vitest';
import { HEADER_RU, recognizeHeader } from './columns.ts';

describe('roadmap headers', () => {
  it('recognises Russian headers regardless of case, spaces and line breaks', () => {
    expect(recognizeHeader('№ п/п')).toBe('number');
    expect(recognizeHeader('N\nп/п')).toBe('number');
    expect(recognizeHeader('Наименование\nмероприятия')).toBe('title');
    expect(recognizeHeader('МЕРОПРИЯТИЕ')).toBe('title');
    expect(recognizeHeader('Срок  исполнения')).toBe('deadline');
    expect(recognizeHeader('Срок реализации (дата)')).toBe('deadline');
    expect(recognizeHeader('Ответственный\r\nисполнитель')).toBe('responsible');
    expect(recognizeHeader('Соисполнители')).toBe('coExecutors');
    expect(recognizeHeader('Результат / вид документа')).toBe('deliverable');
    expect(recognizeHeader('Вид документа')).toBe('deliverable');
    expect(recognizeHeader('Жизненная ситуация')).toBe('lifeSituation');
  });

  it('recognises English headers and the columns a status export adds', () => {
    expect(recognizeHeader('No.')).toBe('number');
    expect(recognizeHeader('Measure')).toBe('title');
    expect(recognizeHeader('Deadline')).toBe('deadline');
    expect(recognizeHeader('Responsible agency')).toBe('responsible');
    expect(recognizeHeader('Co-executors')).toBe('coExecutors');
    expect(recognizeHeader('Deliverable')).toBe('deliverable');
    expect(recognizeHeader('Life situation')).toBe('lifeSituation');
    expect(recognizeHeader('Текущий срок (с учётом продлений)')).toBe('currentDue');
    expect(recognizeHeader('Статус')).toBe('status');
  });

  it('reads back every header an export writes, and ignores unrelated ones', () => {
    for (const [key, header] of Object.entries(HEADER_RU)) expect(recognizeHeader(header)).toBe(key);
    expect(recognizeHeader('Примечание')).toBeNull();
    expect(recognizeHeader('')).toBeNull();
  });
});
