// Integration tokens: created (shown once) and revoked by an admin; the API resolves them to an actor.
export * from './tokens.ts';
