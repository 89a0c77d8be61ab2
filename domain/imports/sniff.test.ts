import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { fileKind, sniffSpreadsheet } from './sniff.ts';

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
    expect(key(bytes(0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1))).toEqual(['error.import.file.image', undefined]);
    expect(key(bytes(0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1))).toEqual(['error.import.file.unknown', undefined]);
  });

  it('names a PDF, a web page, an XML file or an image renamed .xlsx as what it is, not as a CSV file', () => {
    const key = (b: Uint8Array) => {
      const r = sniffSpreadsheet(b);
      return r.ok ? 'ok' : r.issue.key;
    };
    const text = (s: string) => new TextEncoder().encode(s);
    // A small PDF is mostly ASCII: it used to pass as "a text file (CSV)".
    const pdf = text(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    expect(key(pdf)).toBe('error.import.file.pdf');
    expect(fileKind(pdf)).toBe('pdf');
    // Web systems "export to Excel" as an HTML table with an .xlsx name; with a BOM and blank lines too.
    const html = text(
      '\ufeff\n  <!DOCTYPE html><html><body><table><tr><td>1.1</td></tr></table></body></html>',
    );
    expect(key(html)).toBe('error.import.file.html');
    expect(key(text('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head></head></html>'))).toBe(
      'error.import.file.html',
    );
    expect(key(text('<table border=1><tr><td>№</td></tr></table>'))).toBe('error.import.file.html');
    expect(key(text('<?xml version="1.0"?>\n<!DOCTYPE html><html></html>'))).toBe('error.import.file.html');
    expect(
      key(text('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">')),
    ).toBe('error.import.file.xml');
    expect(key(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('error.import.file.image');
    // A CSV that merely mentions HTML is still a CSV.
    expect(key(text('№;Мероприятие\n1;Страница <html> на портале\n'))).toBe('error.import.file.text');
  });
});
