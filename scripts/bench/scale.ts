import { sql } from 'kysely';
import { instantToLocalDate } from '../../domain/local-date.ts';
import { seconds, type Bench } from './harness.ts';
import { benchDatabase } from './env.ts';
import { FULL_SCALE, QUICK_SCALE, seedScale } from './scale-seed.ts';

/** Seeding the large region vs inserting the same number of bare rows the same way. */
export const scaleBench: Bench = {
  name: 'scale-seed',
  description: '100k items, 20k services, 200 agencies, 40 life situations',
  async run(ctx) {
    const size = ctx.quick ? QUICK_SCALE : FULL_SCALE;
    const database = await benchDatabase('scale');
    try {
      const t0 = process.hrtime.bigint();
      const seeded = await seedScale(database.db, size, instantToLocalDate(Date.now(), 420));
      const seedS = seconds(t0);
      ctx.log(`seeded ${seeded.rows} rows in ${seedS.toFixed(1)} s`);

      await sql`create table bench_baseline (id int primary key, payload text not null)`.execute(database.db);
      const t1 = process.hrtime.bigint();
      for (let i = 0; i < seeded.rows; i += 1000) {
        const n = Math.min(1000, seeded.rows - i);
        await database.db
          .insertInto('bench_baseline' as never)
          .values(Array.from({ length: n }, (_, k) => ({ id: i + k, payload: 'x'.repeat(40) })) as never)
          .execute();
      }
      const baseS = seconds(t1);
      const rate = seeded.rows / seedS;
      const baseRate = seeded.rows / baseS;
      return [
        {
          bench: 'scale-seed',
          metric: `seed ${size.items} items (${seeded.rows} rows)`,
          value: rate,
          unit: 'rows/s',
          baseline: { metric: 'bare 2-column insert', value: baseRate },
          ratio: rate / baseRate,
        },
      ];
    } finally {
      await database.drop();
    }
  },
};
