// The minutes form of a held meeting and the parsing of its decision rows.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { allAgencies } from '../../../db/read-models/index.ts';
import { MAX_DECISIONS, type DecisionInput, type Problem } from '../../../domain/check-in/index.ts';
import { localized } from '../../context.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, fieldValues, type FormValues } from '../../forms.ts';
import { Field } from '../../views/components.tsx';
import { DEFAULT_ROWS, describedBy, type CheckIn, type Values } from './shared.tsx';

export interface MinutesState {
  problems: Problem[];
  values: Values;
  general?: string;
}

export const fieldIdOf = (field: string) => {
  const m = /^decisions\.(\d+)\.(text|agency|coAgencies|due)$/.exec(field);
  if (!m) return field;
  return `${m[2] === 'coAgencies' ? 'co' : m[2]}_${m[1]}`;
};

export async function MinutesForm({
  c,
  ci,
  state,
}: {
  c: Context<AppEnv>;
  ci: CheckIn;
  state?: MinutesState | undefined;
}) {
  const { t, locale } = c.var;
  const agencies = await allAgencies(c.var.deps.db);
  const values = state?.values ?? {};
  const asked = Number(c.req.query('rows') ?? fieldValue(values, 'rows'));
  const rows = Math.min(MAX_DECISIONS, Math.max(DEFAULT_ROWS, Number.isInteger(asked) ? asked : 0));
  const error = (id: string) => {
    const p = state?.problems.find((x) => fieldIdOf(x.field) === id);
    return p ? t(p.key, p.params) : undefined;
  };
  const v = (k: string) => fieldValue(values, k);
  return (
    <section aria-labelledby="minutes-title" class="minutes-form no-print">
      <h2 id="minutes-title">{t('checkIn.minutesTitle')}</h2>
      {state?.general && (
        <p class="alert" role="alert">
          {state.general}
        </p>
      )}
      <form method="post" action={`/check-ins/${ci.id}/minutes`}>
        <input type="hidden" name="_csrf" value={c.var.csrfToken ?? ''} />
        <input type="hidden" name="eventId" value={v('eventId') || randomUUID()} />
        <input type="hidden" name="rows" value={String(rows)} />
        <Field id="minutes" label={t('checkIn.minutesText')} error={error('minutes')}>
          <textarea
            id="minutes"
            name="minutes"
            rows={5}
            aria-describedby={describedBy('minutes', error('minutes'))}
          >
            {v('minutes')}
          </textarea>
        </Field>
        <p class="muted">{t('checkIn.decisionsHelp')}</p>
        {Array.from({ length: rows }, (_, i) => (
          <fieldset class="decision">
            <legend>{t('checkIn.decision', { n: i + 1 })}</legend>
            <Field id={`text_${i}`} label={t('checkIn.decisionText')} error={error(`text_${i}`)}>
              <textarea
                id={`text_${i}`}
                name={`text_${i}`}
                rows={2}
                aria-describedby={describedBy(`text_${i}`, error(`text_${i}`))}
              >
                {v(`text_${i}`)}
              </textarea>
            </Field>
            <div class="decision-grid">
              <Field id={`agency_${i}`} label={t('item.agency')} error={error(`agency_${i}`)}>
                <select
                  id={`agency_${i}`}
                  name={`agency_${i}`}
                  aria-describedby={describedBy(`agency_${i}`, error(`agency_${i}`))}
                >
                  <option value="">{t('checkIn.noAgency')}</option>
                  {agencies.map((a) => (
                    <option value={String(a.id)} selected={v(`agency_${i}`) === String(a.id)}>
                      {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`co_${i}`} label={t('item.coAgencies')} error={error(`co_${i}`)}>
                <select
                  id={`co_${i}`}
                  name={`co_${i}`}
                  multiple
                  size={3}
                  aria-describedby={describedBy(`co_${i}`, error(`co_${i}`))}
                >
                  {agencies.map((a) => (
                    <option
                      value={String(a.id)}
                      selected={fieldValues(values, `co_${i}`).includes(String(a.id))}
                    >
                      {localized(locale, a.short_ru ?? a.title_ru, a.title_en)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`due_${i}`} label={t('checkIn.due')} error={error(`due_${i}`)}>
                <input
                  id={`due_${i}`}
                  name={`due_${i}`}
                  type="date"
                  value={v(`due_${i}`)}
                  aria-describedby={describedBy(`due_${i}`, error(`due_${i}`))}
                />
              </Field>
              <div class="field checkbox">
                <input
                  id={`special_${i}`}
                  name={`special_${i}`}
                  type="checkbox"
                  value="1"
                  checked={v(`special_${i}`) === '1'}
                />
                <label for={`special_${i}`}>{t('checkIn.specialControl')}</label>
              </div>
            </div>
          </fieldset>
        ))}
        <p>
          <a href={`/check-ins/${ci.id}?rows=${Math.min(MAX_DECISIONS, rows + 5)}#minutes-title`}>
            {t('checkIn.moreRows')}
          </a>
        </p>
        <button type="submit">{t('checkIn.recordMinutes')}</button>
      </form>
    </section>
  );
}

/** The minutes form's decision rows (text_N, agency_N, co_N, due_N, special_N) as typed decisions. */
export function parseDecisions(body: FormValues): {
  decisions: DecisionInput[];
  problems: Problem[];
} {
  const rows = Math.min(MAX_DECISIONS, Math.max(0, Number(fieldValue(body, 'rows')) || DEFAULT_ROWS));
  const problems: Problem[] = [];
  const decisions: DecisionInput[] = [];
  const idOf = (raw: string, field: string) => {
    if (raw === '') return null;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) {
      problems.push({ field, key: 'error.checkIn.unknownAgency' });
      return null;
    }
    return n;
  };
  for (let i = 0; i < rows; i++) {
    const coRaw = fieldValues(body, `co_${i}`).filter((x) => x !== '');
    const due = fieldValue(body, `due_${i}`).trim();
    decisions.push({
      text: fieldValue(body, `text_${i}`),
      agencyId: idOf(fieldValue(body, `agency_${i}`), `decisions.${i}.agency`),
      coAgencyIds: coRaw
        .map((x) => idOf(x, `decisions.${i}.coAgencies`))
        .filter((x): x is number => x !== null),
      due: due === '' ? null : due,
      specialControl: fieldValue(body, `special_${i}`) === '1',
    });
  }
  return { decisions, problems };
}
