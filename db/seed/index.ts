export {
  isSeeded,
  seedDemo,
  lastQuarters,
  PROGRAMME_LIFE_SITUATIONS,
  type SeedSummary,
  type DemoLogin,
} from './demo.ts';
