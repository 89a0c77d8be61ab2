// The text and HTML of a notification email: its lines, one link, the footer. Shared by the item
// notifications (activities/notifications) and the account invitations (app/auth).

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

export function mailBody(lines: string[], link: { url: string; label: string }, l: 'ru' | 'en') {
  const footer =
    l === 'ru'
      ? 'Письмо отправлено системой «Штаб». Не отвечайте на него.'
      : 'Sent by Shtab. Please do not reply.';
  const text = [...lines, '', `${link.label}: ${link.url}`, '', footer].join('\n');
  const html =
    `<!doctype html><html lang="${l}"><body style="font-family:sans-serif">` +
    lines.map((x) => `<p>${escapeHtml(x)}</p>`).join('') +
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` +
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p></body></html>`;
  return { text, html };
}
