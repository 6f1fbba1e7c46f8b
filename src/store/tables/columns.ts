import type { ColumnType } from 'kysely';

/** A calendar date, always 'YYYY-MM-DD' on both engines (see database.ts). */
export type IsoDate = string;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** Where a row of a referral's journey was recorded: by an import ('source') or by staff in Roots ('roots'). */
export type RecordedIn = 'source' | 'roots';
