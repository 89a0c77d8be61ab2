// Reference data the project office keeps itself (issue 15): agencies, people, life situations,
// roadmaps, the working group's and the штаб's composition. Pure checks of what a form, a file row or an
// API body asks for; uniqueness and references are the application layer's (app/reference).
export * from './fields.ts';
export * from './agency.ts';
export * from './person.ts';
export * from './programme.ts';
export * from './committee.ts';
