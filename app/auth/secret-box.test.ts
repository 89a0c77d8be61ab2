import { describe, expect, it } from 'vitest';
import { createSecretBox } from './secret-box.ts';

describe('secret box', () => {
  it('opens what it sealed, and nothing sealed under another secret or changed', () => {
    const box = createSecretBox('client-secret', 'refresh-token');
    const sealed = box.seal('eyJhbGciOi.refresh');
    expect(sealed).not.toContain('refresh');
    expect(box.open(sealed)).toBe('eyJhbGciOi.refresh');
    expect(createSecretBox('other-secret', 'refresh-token').open(sealed)).toBeNull();
    const parts = sealed.split('.');
    parts[2] = parts[2]!.slice(0, -2) + (parts[2]!.endsWith('AA') ? 'BB' : 'AA');
    expect(box.open(parts.join('.'))).toBeNull();
    expect(box.open('garbage')).toBeNull();
  });
});
