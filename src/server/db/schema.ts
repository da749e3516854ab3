export * from '../auth/tables.ts';
export * from '../geo/tables.ts';
