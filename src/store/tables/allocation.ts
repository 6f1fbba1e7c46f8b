import type { Generated } from 'kysely';
import type { IsoDate, Defaulted } from './columns.ts';

/** Tables owned by allocation/: their row types as Kysely sees them. */

export interface AllocationTable {
  id: Generated<number>;
  episode_id: number;
  staff_user_id: number;
  allocated_on: IsoDate;
  ended_on: IsoDate | null;
  suggested: Defaulted<boolean>;
  reason: string | null;
  confirmed_by: number | null;
}
