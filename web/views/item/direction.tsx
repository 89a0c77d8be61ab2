import { FRESH_ID } from '../../fresh-ids.ts';
import { ErrorSummary, FormSecrets, formView, SelectField } from '../form.tsx';
import { directionName, type ItemView } from './types.ts';

/**
 * The measure's direction (the social rating's ten and the regional spheres) among the item's facts: its
 * own, or its service's when it has none (the rating counts it there); for the working group a form to
 * set or clear it, a plain post that comes back with the page and a message (or its error summary).
 */
export function DirectionFact({ v, csrf }: { v: ItemView; csrf: string }) {
  const { item, t, people } = v;
  const own = directionName(v, item.direction);
  const inherited = own ? null : directionName(v, item.service_direction);
  if (!own && !inherited && !people.canSetDirection) return null;
  const problem = people.problem?.form === 'direction' ? people.problem : undefined;
  const f = formView(
    'direction',
    problem
      ? {
          values: problem.values,
          issues: [{ field: problem.field ?? 'direction', message: problem.message }],
        }
      : undefined,
  );
  const option = (d: ItemView['directions'][number]) => ({
    value: d.code,
    label: v.locale === 'en' ? d.title_en : d.title_ru,
  });
  return (
    <>
      <dt>{t('item.direction')}</dt>
      <dd id="direction">
        {own ??
          (inherited ? t('item.direction.ofService', { direction: inherited }) : t('item.direction.none'))}
        {people.canSetDirection && (
          <details class="more" open={problem ? true : undefined}>
            <summary>{t('item.direction.change')}</summary>
            <form method="post" action={`/items/${item.id}/direction`} novalidate>
              <ErrorSummary f={f} t={t} fields={['direction']} />
              <FormSecrets csrf={csrf} eventId={FRESH_ID} />
              <SelectField
                f={f}
                t={t}
                name="direction"
                label={t('item.direction')}
                hint={t('item.direction.hint')}
                empty={t('item.direction.none')}
                options={[]}
                groups={[
                  {
                    label: t('item.direction.rating'),
                    options: v.directions.filter((d) => d.kind === 'rating').map(option),
                  },
                  {
                    label: t('item.direction.regional'),
                    options: v.directions.filter((d) => d.kind === 'regional').map(option),
                  },
                ]}
                value={item.direction ?? ''}
              />
              <button type="submit" class="secondary">
                {t('item.direction.save')}
              </button>
            </form>
          </details>
        )}
      </dd>
    </>
  );
}
