import type { ColumnType } from 'kysely';

/** A calendar date, always 'YYYY-MM-DD' on both engines (see database.ts). */
export type IsoDate = string;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Defaulted<T> = ColumnType<T, T | undefined, T>;
