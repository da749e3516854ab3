export * from '../auth/tables.ts';
export * from '../core/files.tables.ts';
export * from '../geo/tables.ts';
export * from '../open311/tables.ts';
export * from '../party/tables.ts';
export * from '../points/tables.ts';
export * from '../service/tables.ts';
export * from '../tickets/tables.ts';
