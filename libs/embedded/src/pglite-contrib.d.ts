/**
 * PGlite ships Postgres contrib extensions under the package export `./contrib/*`; the
 * `moduleResolution: node` used here does not read package exports, so the types are mapped by hand.
 */
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  export { pg_trgm } from '@electric-sql/pglite/dist/contrib/pg_trgm';
}
declare module '@electric-sql/pglite/contrib/btree_gin' {
  export { btree_gin } from '@electric-sql/pglite/dist/contrib/btree_gin';
}
declare module '@electric-sql/pglite/contrib/fuzzystrmatch' {
  export { fuzzystrmatch } from '@electric-sql/pglite/dist/contrib/fuzzystrmatch';
}
