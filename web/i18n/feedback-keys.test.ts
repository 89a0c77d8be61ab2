import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, FEEDBACK_CHANNELS } from '../../domain/feedback/index.ts';
import { hasKey } from './index.ts';

describe('citizen feedback messages', () => {
  it('translate every enumerated family the pages build keys from', () => {
    const keys = [
      ...FEEDBACK_CHANNELS.map((c) => `fb.channel.${c}`),
      ...CASE_STATUSES.map((s) => `fb.case.status.${s}`),
      ...[0, 1, 2].map((l) => `fb.case.level.${l}`),
      ...['yes', 'no', 'unknown'].map((f) => `fb.case.fixed.${f}`),
      ...[1, 2, 3, 4, 5].map((r) => `fb.public.rating${r}`),
    ];
    expect(keys.filter((k) => !hasKey(k))).toEqual([]);
  });
});
