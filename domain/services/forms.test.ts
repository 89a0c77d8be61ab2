import { describe, expect, it } from 'vitest';
import {
  parseFindingsForm,
  parseIndicatorValueForm,
  parseSelectionForm,
  parseServiceForm,
  parseTargetStateForm,
} from './forms.ts';

const TODAY = '2026-03-02'; // a Monday

describe('service-quality forms', () => {
  it('reports every service-form problem by field', () => {
    const r = parseServiceForm({ code: 'a b', title_ru: '', agency_id: 'x', channels: ['epgu', 'fax'] });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'code', key: 'error.svc.code' },
        { field: 'title_ru', key: 'error.field.required' },
        { field: 'agency_id', key: 'error.svc.choose' },
        { field: 'channels', key: 'error.svc.choose' },
      ],
    });
    const ok = parseServiceForm({
      code: 'MTSR-001',
      title_ru: 'Услуга',
      agency_id: '3',
      electronic: 'on',
      channels: 'mfc',
    });
    expect(ok).toMatchObject({
      ok: true,
      value: { agency_id: 3, electronic: true, proactive: false, channels: ['mfc'] },
    });
  });

  it('moves deadlines on non-working days back and refuses past ones', () => {
    const r = parseSelectionForm(
      {
        period: '3 кв. 2025',
        service: ['4', '5'],
        target: '4,25',
        planDue: '2026-03-08',
        implementationDue: '2026-06-30',
      },
      TODAY,
    );
    // 8 March 2026 is a Sunday (and a holiday): the plan is due on Friday the 6th.
    expect(r).toEqual({
      ok: true,
      value: {
        period: '2025-Q3',
        serviceIds: [4, 5],
        target: 4.25,
        planDue: '2026-03-06',
        implementationDue: '2026-06-30',
      },
    });
    const bad = parseSelectionForm(
      { period: '2025', target: '6', planDue: '2026-03-01', implementationDue: 'soon' },
      TODAY,
    );
    expect(bad).toEqual({
      ok: false,
      errors: [
        { field: 'service', key: 'error.svc.selectServices' },
        { field: 'target', key: 'error.svc.range', params: { min: 1, max: 5 } },
        { field: 'planDue', key: 'error.date.past' },
        { field: 'implementationDue', key: 'error.field.date' },
      ],
    });
  });

  it('validates findings, target states and indicator values', () => {
    expect(parseFindingsForm({ performedOn: '2026-03-03', steps: '1.5', minutes: '-2' }, TODAY)).toEqual({
      ok: false,
      errors: [
        { field: 'performedOn', key: 'error.svc.future' },
        { field: 'steps', key: 'error.svc.integer' },
        { field: 'minutes', key: 'error.svc.range', params: { min: 0, max: 100000 } },
      ],
    });
    const ts = parseTargetStateForm({
      'asIs.visits': '3',
      'toBe.avgRating': '4,5',
      scenarioSteps: ' a \n\n b ',
    });
    expect(ts).toEqual({
      ok: true,
      value: {
        asIs: { visits: 3 },
        toBe: { avgRating: 4.5, eForm: false, proactive: false },
        asIsSteps: [],
        scenarioSteps: ['a', 'b'],
        approvedBy: null,
        approvalDate: null,
      },
    });
    expect(parseTargetStateForm({ 'toBe.avgRating': '0' })).toMatchObject({
      ok: false,
      errors: [{ field: 'toBe.avgRating', key: 'error.svc.range' }],
    });
    expect(parseIndicatorValueForm({ indicatorId: '2', period: '2026', plan: '', actual: '' })).toEqual({
      ok: false,
      errors: [{ field: 'actual', key: 'error.svc.planOrActual' }],
    });
  });
});
