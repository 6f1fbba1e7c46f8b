/**
 * Primary and secondary cell suppression over a table of counts tied together by additive
 * identities ("families": total = part_1 + ... + part_k), independent of what the counts mean.
 * audit.cells.ts says which families an equity audit has.
 *
 * Primary suppression: every count from 1 to `suppressUpTo` is hidden.
 *
 * Secondary suppression, in two passes repeated until neither changes anything:
 *
 * 1. Pairwise rule (the usual rule for published NHS tables). In every family, the number of
 *    hidden cells, the total included, must not be exactly one: one hidden cell in a family
 *    whose other cells are shown is its total minus the other parts. When a family has exactly one
 *    hidden cell, the smallest shown non-zero part is hidden too (ties: the first in the family's
 *    order); when no part is left to hide, the total is hidden. Hiding a cell can leave another
 *    family with a single hidden cell, so this runs from a work list until no family changes.
 *
 * 2. Linear audit. The pairwise rule looks at one family at a time; families share cells (a
 *    group's `triaged` is a part of the dimension's `triaged` family and the total of the
 *    group's triage-outcome family), and a hidden cell can sometimes be solved from several
 *    families together even though none of them has a single hidden cell. Treating every shown
 *    cell as known exactly (the worst case: rounding is not relied on) and every hidden cell as
 *    an unknown, the families are linear equations in the unknowns; hidden cell j can be worked
 *    out exactly if and only if the unit vector e_j lies in the row space of the equations
 *    restricted to the unknowns. That is checked by Gaussian elimination (reduced row echelon form)
 *    on each connected set of hidden cells: j is determined when its column is a pivot whose row
 *    has no other non-zero entry. For each determined cell the smallest shown non-zero cell of a
 *    family that contains it is hidden too, and both passes run again.
 *
 * Zero is never hidden: a shown zero is a true zero, and hiding zeros would protect no one. The
 * loop ends because every round hides at least one more non-zero cell, and once every non-zero
 * cell in a connected set is hidden none of them can be determined (the right-hand sides are all
 * zero, while the true values, which are not zero, satisfy the equations).
 *
 * What this does not do: it does not bound hidden cells by intervals (for example, two hidden
 * cells known to sum to 2 are each 1; linear-programming audits such as tau-ARGUS's do that), and it
 * knows only the identities it is given.
 */
import { controlsDisclosure, type DisclosureRule } from './disclosure.ts';

/** total = sum of parts, as indices into the table of counts. */
export interface Family {
  total: number;
  parts: readonly number[];
  /** For explanations and tests only. */
  label?: string;
}

export interface SuppressionResult {
  /** Hidden cells (true), by index. */
  hidden: boolean[];
  /** Why each hidden cell is hidden. */
  reason: (null | 'primary' | 'secondary')[];
  /** Rounds of the pairwise rule and the linear audit run before nothing changed. */
  rounds: number;
}

/** Hides small counts and enough others that no hidden count can be worked out from the families. */
export function suppressCells(values: readonly number[], families: readonly Family[], rule: DisclosureRule): SuppressionResult {
  for (const [i, v] of values.entries()) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`cell ${i}: a count must be a whole number of 0 or more, not ${v}`);
  }
  for (const [f, family] of families.entries()) {
    for (const cell of [family.total, ...family.parts]) {
      if (!Number.isInteger(cell) || cell < 0 || cell >= values.length) throw new RangeError(`family ${family.label ?? f}: no cell ${cell}`);
    }
  }
  const hidden = values.map((v) => v >= 1 && v <= rule.suppressUpTo);
  const reason: SuppressionResult['reason'] = hidden.map((h) => (h ? 'primary' : null));
  if (!controlsDisclosure(rule) || !hidden.some(Boolean)) return { hidden, reason, rounds: 0 };

  const familiesOf: number[][] = values.map(() => []);
  for (const [f, family] of families.entries()) for (const cell of cellsOf(family)) familiesOf[cell]!.push(f);
  const hide = (cell: number) => {
    hidden[cell] = true;
    reason[cell] = 'secondary';
  };

  let rounds = 0;
  for (;;) {
    rounds++;
    applyPairwiseRule(values, families, familiesOf, hidden, hide);
    const determined = determinedCells(families, familiesOf, hidden);
    if (determined.length === 0) return { hidden, reason, rounds };
    const touched = new Set<number>();
    for (const cell of determined) {
      // One complement per family per round is enough to break this determination; the audit
      // runs again anyway.
      if (familiesOf[cell]!.some((f) => touched.has(f))) continue;
      const complement =
        smallestShown(values, hidden, familiesOf[cell]!.flatMap((f) => cellsOf(families[f]!))) ??
        smallestShown(values, hidden, linkedCells(cell, families, familiesOf, hidden));
      if (complement === null) continue;
      hide(complement);
      for (const f of familiesOf[complement]!) touched.add(f);
      for (const f of familiesOf[cell]!) touched.add(f);
    }
    if (touched.size === 0) {
      // Unreachable for consistent tables (see above); for inconsistent ones there is nothing left
      // that could be hidden.
      return { hidden, reason, rounds };
    }
  }
}

/** Every cell of every family reachable from `start` through hidden cells. */
function linkedCells(start: number, families: readonly Family[], familiesOf: readonly number[][], hidden: readonly boolean[]): number[] {
  const reached = new Set<number>([start]);
  const visitedFamilies = new Set<number>();
  const stack = [start];
  while (stack.length > 0) {
    const cell = stack.pop()!;
    for (const f of familiesOf[cell]!) {
      if (visitedFamilies.has(f)) continue;
      visitedFamilies.add(f);
      for (const other of cellsOf(families[f]!)) {
        if (reached.has(other)) continue;
        reached.add(other);
        if (hidden[other]) stack.push(other);
      }
    }
  }
  return [...reached].sort((a, b) => a - b);
}

function cellsOf(family: Family): number[] {
  return [family.total, ...family.parts];
}

/** The shown non-zero cell with the smallest count (first on ties), or null. */
function smallestShown(values: readonly number[], hidden: readonly boolean[], candidates: readonly number[]): number | null {
  let best: number | null = null;
  for (const cell of candidates) {
    if (hidden[cell] || values[cell] === 0) continue;
    if (best === null || values[cell]! < values[best]!) best = cell;
  }
  return best;
}

function applyPairwiseRule(
  values: readonly number[],
  families: readonly Family[],
  familiesOf: readonly number[][],
  hidden: boolean[],
  hide: (cell: number) => void,
): void {
  const queued = new Uint8Array(families.length).fill(1);
  const queue = families.map((_, f) => f);
  for (let head = 0; head < queue.length; head++) {
    const f = queue[head]!;
    queued[f] = 0;
    const family = families[f]!;
    const cells = cellsOf(family);
    const hiddenCount = cells.reduce((n, cell) => n + (hidden[cell] ? 1 : 0), 0);
    if (hiddenCount !== 1) continue;
    const complement = smallestShown(values, hidden, family.parts) ?? smallestShown(values, hidden, [family.total]);
    // No shown non-zero cell left: the family is inconsistent (its parts do not add up), so the
    // lone hidden cell cannot be worked out from it.
    if (complement === null) continue;
    hide(complement);
    for (const g of familiesOf[complement]!) {
      if (!queued[g]) {
        queued[g] = 1;
        queue.push(g);
      }
    }
  }
}

const TOLERANCE = 1e-9;

/**
 * Hidden cells whose value follows exactly from the shown cells and the families (in index
 * order). Each connected set of hidden cells is solved on its own.
 */
export function determinedCells(families: readonly Family[], familiesOf: readonly number[][], hidden: readonly boolean[]): number[] {
  const hiddenCells = hidden.flatMap((h, i) => (h ? [i] : []));
  const component = connectedSets(hiddenCells, families, familiesOf, hidden);
  const determined: number[] = [];
  for (const cells of component) {
    const column = new Map(cells.map((cell, j) => [cell, j]));
    const rowFamilies = [...new Set(cells.flatMap((cell) => familiesOf[cell]!))].sort((a, b) => a - b);
    const rows = rowFamilies.map((f) => {
      const row = new Float64Array(cells.length);
      const family = families[f]!;
      const total = column.get(family.total);
      if (total !== undefined) row[total]! += 1;
      for (const part of family.parts) {
        const j = column.get(part);
        if (j !== undefined) row[j]! -= 1;
      }
      return row;
    });
    for (const j of solvableColumns(rows, cells.length)) determined.push(cells[j]!);
  }
  return determined.sort((a, b) => a - b);
}

/** Hidden cells grouped by the families that link them (union-find). */
function connectedSets(hiddenCells: readonly number[], families: readonly Family[], familiesOf: readonly number[][], hidden: readonly boolean[]): number[][] {
  const parent = new Map<number, number>(hiddenCells.map((c) => [c, c]));
  const find = (c: number): number => {
    let root = c;
    while (parent.get(root)! !== root) root = parent.get(root)!;
    let node = c;
    while (parent.get(node)! !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const seen = new Set<number>();
  for (const cell of hiddenCells) {
    for (const f of familiesOf[cell]!) {
      if (seen.has(f)) continue;
      seen.add(f);
      const members = cellsOf(families[f]!).filter((c) => hidden[c]);
      for (const other of members.slice(1)) {
        const a = find(members[0]!);
        const b = find(other);
        if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
      }
    }
  }
  const sets = new Map<number, number[]>();
  for (const cell of hiddenCells) {
    const root = find(cell);
    const list = sets.get(root) ?? [];
    list.push(cell);
    sets.set(root, list);
  }
  return [...sets.values()];
}

/**
 * Columns j for which the unit vector e_j is a combination of the rows: after reduction to
 * reduced row echelon form, the pivot columns whose pivot row is zero everywhere else.
 */
export function solvableColumns(input: readonly Float64Array[], columns: number): number[] {
  const rows = input.map((r) => Float64Array.from(r));
  const pivotRowOf = new Map<number, number>();
  let rank = 0;
  for (let j = 0; j < columns && rank < rows.length; j++) {
    let best = -1;
    let bestSize = TOLERANCE;
    for (let i = rank; i < rows.length; i++) {
      const size = Math.abs(rows[i]![j]!);
      if (size > bestSize) {
        best = i;
        bestSize = size;
      }
    }
    if (best < 0) continue;
    [rows[rank], rows[best]] = [rows[best]!, rows[rank]!];
    const pivot = rows[rank]!;
    const scale = pivot[j]!;
    for (let k = 0; k < columns; k++) pivot[k]! /= scale;
    for (let i = 0; i < rows.length; i++) {
      if (i === rank) continue;
      const row = rows[i]!;
      const factor = row[j]!;
      if (Math.abs(factor) <= TOLERANCE) {
        row[j] = 0;
        continue;
      }
      for (let k = 0; k < columns; k++) row[k]! -= factor * pivot[k]!;
      row[j] = 0;
    }
    pivotRowOf.set(j, rank);
    rank++;
  }
  const solvable: number[] = [];
  for (const [j, i] of pivotRowOf) {
    const row = rows[i]!;
    let alone = true;
    for (let k = 0; k < columns && alone; k++) if (k !== j && Math.abs(row[k]!) > TOLERANCE) alone = false;
    if (alone) solvable.push(j);
  }
  return solvable.sort((a, b) => a - b);
}

/**
 * Zeros next to a hidden cell: a breakdown (the parts of one family, such as referrals by age
 * band) where some part is hidden and every part shown is 0 tells the reader that everyone is in
 * the hidden part(s), however small the count: one person in a one-day window would show their
 * age band, sex, ethnic group, area and pathway as the one hidden group beside zeros. Such a
 * breakdown is hidden whole (callers hide every count of every group in it). A breakdown with a
 * shown non-zero part, or with every part hidden, is left as it is.
 */
export function pointsAtHiddenPart(parts: readonly (number | null)[]): boolean {
  const shown = parts.filter((value): value is number => value !== null);
  return shown.length < parts.length && shown.length > 0 && shown.every((value) => value === 0);
}
