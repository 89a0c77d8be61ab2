import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A calendar date as an Excel date cell (Excel keeps no time zone: midnight UTC is that day). */
export const excelDate = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

/**
 * Streams a one-sheet workbook as an HTTP response: rows go out as they are written (exceljs streaming
 * writer), so a large export never sits in memory as a whole.
 */
export function xlsxResponse(
  filename: string,
  fill: (wb: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>,
  onError: (e: unknown) => void,
): Response {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  void (async () => {
    try {
      await fill(wb);
      await wb.commit();
    } catch (e) {
      onError(e);
      out.destroy(e as Error);
    }
  })();
  const ascii = filename.replace(/[^\w.-]+/g, '_');
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: {
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'Cache-Control': 'no-store',
    },
  });
}
