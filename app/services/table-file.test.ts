import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { normalizeHeader, parseDecimal } from './columns.ts';
import { decodeText, detectDelimiter, readTable, TableFileError } from './table-file.ts';

describe('reading uploaded tables', () => {
  it('detects the delimiter of the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('"a;b",c,d\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(';');
  });

  it('decodes UTF-8 (with or without BOM), Windows-1251 and UTF-16LE with BOM', () => {
    const text = 'Код услуги;Период';
    expect(decodeText(new Uint8Array(Buffer.from(text)))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]))).toEqual({
      text,
      encoding: 'utf-8',
    });
    expect(decodeText(new Uint8Array(iconv.encode(text, 'windows-1251')))).toEqual({
      text,
      encoding: 'windows-1251',
    });
    expect(decodeText(new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]))).toEqual({
      text,
      encoding: 'utf-16le',
    });
    expect(() => decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0xff]))).toThrow(TableFileError);
  });

  it('numbers CSV rows by the line they start on, quoted line breaks included', async () => {
    const t = await readTable(new Uint8Array(Buffer.from('a;b\n1;"x\ny"\n\n3;4\n')), 'f.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      { row: 2, cells: ['1', 'x\ny'] },
      { row: 5, cells: ['3', '4'] },
    ]);
  });

  it('normalises headers and decimals', () => {
    expect(normalizeHeader(' Средняя  оценка: ')).toBe('средняя оценка');
    expect(normalizeHeader('Количество_оценок*')).toBe('количество оценок');
    expect(parseDecimal(' 1 234,5 ')).toBe(1234.5);
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('4,2,1')).toBeNaN();
  });

  it('names a PDF or a web page renamed .xlsx or .csv as what it is', async () => {
    const keyOf = (bytes: Uint8Array, name: string) =>
      readTable(bytes, name).then(
        () => 'read',
        (e: unknown) => (e instanceof TableFileError ? e.issue.key : String(e)),
      );
    const text = (s: string) => new TextEncoder().encode(s);
    const pdf = text('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    expect(await keyOf(pdf, 'scores.xlsx')).toBe('error.svc.import.pdf');
    expect(await keyOf(pdf, 'scores.csv')).toBe('error.svc.import.pdf');
    const page = text('<!DOCTYPE html>\n<html><body><table><tr><td>Код</td></tr></table></body></html>');
    expect(await keyOf(page, 'scores.xlsx')).toBe('error.svc.import.html');
    expect(await keyOf(page, 'scores.csv')).toBe('error.svc.import.html');
  });
});
