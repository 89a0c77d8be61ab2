/**
 * Where a review came from. МФЦ, the regional portal, ЕПГУ (Госуслуги), ПОС (платформа обратной связи),
 * the hotline, a curator's visit, and our own public page (reached by the QR code at a window).
 */
export const FEEDBACK_CHANNELS = ['mfc', 'rpgu', 'epgu', 'pos', 'hotline', 'curator_visit', 'web'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];
export const isFeedbackChannel = (v: unknown): v is FeedbackChannel =>
  typeof v === 'string' && (FEEDBACK_CHANNELS as readonly string[]).includes(v);

export const CASE_STATUSES = ['open', 'answered', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A review as every intake path hands it to the application layer (validated, normalised). */
export interface FeedbackRecord {
  /** Who sent it: an integration's name ("pos", "mfc-ais"), "file" or "web". */
  source: string;
  /** The sender's own id of the review; null when it has none (the public page). Idempotency key. */
  sourceId: string | null;
  serviceId: number;
  channel: FeedbackChannel;
  municipalityId: number | null;
  office: string | null;
  /** Calendar day the review was left, in the region's zone. */
  receivedOn: string;
  rating: 1 | 2 | 3 | 4 | 5;
  text: string | null;
  /** Categories the source gave (free text, kept as given); our taxonomy's topics are matched apart. */
  categories: string[];
  contact: { name: string | null; email: string | null; phone: string | null } | null;
}
