// The minutes form of a held meeting and the parsing of its decision rows.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { allAgencies } from '../../../db/read-models/index.ts';
import { MAX_DECISIONS, type DecisionInput, type Problem } from '../../../domain/check-in/index.ts';
import type { AppEnv } from '../../env.ts';
import { fieldValue, fieldValues, joinDateFields, type FormValues } from '../../forms.ts';
import {
  CheckboxField,
  DateField,
  ErrorSummary,
  FormSecrets,
  formView,
  MultiSelectField,
  SelectField,
  TextareaField,
} from '../../views/form.tsx';
import { agencyShort } from '../../views/item-columns.tsx';
import { DEFAULT_ROWS, type CheckIn, type Values } from './shared.tsx';

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
  const f = formView(
    'min',
    state
      ? {
          values,
          issues: [
            ...(state.general ? [{ field: 'form', message: state.general }] : []),
            ...state.problems.map((p) => ({ field: fieldIdOf(p.field), message: t(p.key, p.params) })),
          ],
        }
      : undefined,
  );
  const agencyOptions = agencies.map((a) => ({ value: String(a.id), label: agencyShort(locale, a) }));
  return (
    <section aria-labelledby="minutes-title" class="minutes-form no-print">
      <h2 id="minutes-title">{t('checkIn.minutesTitle')}</h2>
      <ErrorSummary f={f} t={t} />
      <form method="post" action={`/check-ins/${ci.id}/minutes`}>
        <FormSecrets csrf={c.var.csrfToken ?? ''} eventId={fieldValue(values, 'eventId') || randomUUID()} />
        <input type="hidden" name="rows" value={String(rows)} />
        <TextareaField f={f} t={t} name="minutes" label={t('checkIn.minutesText')} rows={5} />
        <p class="muted">{t('checkIn.decisionsHelp')}</p>
        {Array.from({ length: rows }, (_, i) => (
          <fieldset class="decision">
            <legend>{t('checkIn.decision', { n: i + 1 })}</legend>
            <TextareaField f={f} t={t} name={`text_${i}`} label={t('checkIn.decisionText')} rows={2} />
            <div class="decision-grid">
              <SelectField
                f={f}
                t={t}
                name={`agency_${i}`}
                label={t('item.agency')}
                empty={t('checkIn.noAgency')}
                options={agencyOptions}
              />
              <MultiSelectField
                f={f}
                t={t}
                name={`co_${i}`}
                label={t('item.coAgencies')}
                options={agencyOptions}
              />
              <DateField f={f} t={t} name={`due_${i}`} label={t('checkIn.due')} />
              <CheckboxField f={f} t={t} name={`special_${i}`} label={t('checkIn.specialControl')} />
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
export function parseDecisions(posted: FormValues): {
  decisions: DecisionInput[];
  problems: Problem[];
} {
  // The due dates come as day / month / year boxes; one that cannot be read is a problem of its row.
  const { values: body, issues } = joinDateFields(posted);
  const rows = Math.min(MAX_DECISIONS, Math.max(0, Number(fieldValue(body, 'rows')) || DEFAULT_ROWS));
  const problems: Problem[] = issues.map((i) => ({
    field: i.field.replace(/^due_(\d+)$/, 'decisions.$1.due'),
    key: i.key,
  }));
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
