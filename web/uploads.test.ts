import { describe, expect, it } from 'vitest';
import { ShtabError } from '../domain/errors.ts';
import { checkUploads, contentDisposition, parseLinks, safeFilename, safeHref } from './uploads.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const file = (name: string, content: Uint8Array) => new File([content as Uint8Array<ArrayBuffer>], name);

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof ShtabError) return { code: e.code, ...e.detail };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('uploads', () => {
  it('accepts allowed types whose content matches, with the canonical type', async () => {
    const odt = bytes('PK', [3, 4], new Array(26).fill(0), 'mimetypeapplication/vnd.oasis.opendocument.text');
    const files = await checkUploads(
      [
        file('Отчёт.pdf', bytes('%PDF-1.7\n')),
        file('фото.PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])),
        file('план.docx', bytes('PK', [3, 4, 20, 0])),
        file('записка.odt', odt),
        file('данные.csv', bytes('a;b\n1;2\n')),
        new File([], ''), // an empty file input
      ],
      1024,
    );
    expect(files.map((f) => [f.filename, f.mime])).toEqual([
      ['Отчёт.pdf', 'application/pdf'],
      ['фото.PNG', 'image/png'],
      ['план.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['записка.odt', 'application/vnd.oasis.opendocument.text'],
      ['данные.csv', 'text/csv; charset=utf-8'],
    ]);
  });

  it('refuses other types, disguised content, empty and oversized files, too many files', async () => {
    expect(await rejection(checkUploads(file('run.exe', bytes('MZ')), 1024))).toMatchObject({
      code: 'validation',
      field: 'files',
      key: 'error.upload.type',
    });
    expect(await rejection(checkUploads(file('page.pdf', bytes('<html><script>')), 1024))).toMatchObject({
      key: 'error.upload.content',
    });
    expect(await rejection(checkUploads(file('a.odt', bytes('PK', [3, 4, 0, 0])), 1024))).toMatchObject({
      key: 'error.upload.content',
    });
    expect(await rejection(checkUploads(file('a.txt', bytes('')), 1024))).toMatchObject({
      key: 'error.upload.empty',
    });
    expect(
      await rejection(checkUploads(file('a.pdf', bytes('%PDF-', 'x'.repeat(2000))), 1024)),
    ).toMatchObject({ key: 'error.upload.tooBig' });
    const six = Array.from({ length: 6 }, (_, i) => file(`${i}.pdf`, bytes('%PDF-1')));
    expect(await rejection(checkUploads(six, 1024))).toMatchObject({ key: 'error.upload.tooMany' });
  });

  it('keeps file names displayable and harmless', () => {
    expect(safeFilename('C:\\Users\\me\\отчёт.pdf')).toBe('отчёт.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('evil\u202Efdp.exe')).toBe('evilfdp.exe');
    expect(safeFilename('a\r\nb.pdf')).toBe('ab.pdf');
    expect(safeFilename('...')).toBe('file');
    const long = safeFilename(`${'я'.repeat(300)}.pdf`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('writes Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 5987)', () => {
    expect(contentDisposition('Отчёт (итог).pdf')).toBe(
      `attachment; filename="_____ (____).pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%28%D0%B8%D1%82%D0%BE%D0%B3%29.pdf`,
    );
    const hostile = contentDisposition('a"; filename=evil.html\\.pdf');
    expect(hostile.startsWith('attachment; filename="a_; filename=evil.html_.pdf"; ')).toBe(true);
    expect(hostile).not.toMatch(/[\r\n]/);
  });

  it('takes http(s) links one per line with optional titles, and names the bad line', async () => {
    expect(parseLinks('https://gosuslugi.ru/600 Услуга\n\n  http://example.ru/a?b=1  ')).toEqual([
      { url: 'https://gosuslugi.ru/600', title: 'Услуга' },
      { url: 'http://example.ru/a?b=1' },
    ]);
    for (const bad of ['javascript:alert(1)', 'data:text/html,<b>', 'file:///etc/passwd', 'просто текст']) {
      const err = await rejection(Promise.resolve().then(() => parseLinks(`https://ok.ru\n${bad}`)));
      expect(err).toMatchObject({ field: 'links', key: 'error.links.bad', params: { line: 2 } });
    }
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' https://ok.ru')).toBe('https://ok.ru/');
  });
});
