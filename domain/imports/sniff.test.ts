import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sniffSpreadsheet } from './sniff.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const cp1251 = (s: string) => new Uint8Array(iconv.encode(s, 'win1251'));

describe('file sniffing', () => {
  it('passes a zip (xlsx) and names every other kind of file', () => {
    expect(sniffSpreadsheet(bytes(0x50, 0x4b, 0x03, 0x04, 1, 2))).toEqual({ ok: true });
    const key = (b: Uint8Array) => {
      const r = sniffSpreadsheet(b);
      return r.ok ? 'ok' : [r.issue.key, r.issue.params?.encoding];
    };
    expect(key(bytes())).toEqual(['error.import.file.empty', undefined]);
    expect(key(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0))).toEqual([
      'error.import.file.ole',
      undefined,
    ]);
    expect(key(new TextEncoder().encode('№;Мероприятие;Срок\n1;Тест;31.03.2025\n'))).toEqual([
      'error.import.file.text',
      'UTF-8',
    ]);
    expect(key(cp1251('№;Мероприятие;Срок\r\n1;Тест;31.03.2025\r\n'))).toEqual([
      'error.import.file.text',
      'Windows-1251',
    ]);
    expect(key(bytes(0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1))).toEqual(['error.import.file.unknown', undefined]);
  });
});
