import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestAllocation, type AllocationRequest, type CompetencyLevel, type Therapist } from './competency-match.ts';

function therapist(id: number, name: string, competencies: Record<string, CompetencyLevel>, extra: Partial<Therapist> = {}): Therapist {
  return { id, name, competencies, capacityHours: 30, caseloadHours: 20, areas: [], ...extra };
}

const request: AllocationRequest = {
  tasks: [
    { code: 'home-adaptation', complexity: 'amber' },
    { code: 'falls-review', complexity: 'green' },
  ],
  hoursNeeded: 2,
  area: 'W06000015',
  previousTherapistIds: [],
};

describe('allocation by competency', () => {
  it('shortlists those with the competency, supervised amber after unsupervised, with reasons', () => {
    const team = [
      therapist(1, 'Aled', { 'home-adaptation': 'amber', 'falls-review': 'green' }),
      therapist(2, 'Bethan', { 'home-adaptation': 'green', 'falls-review': 'green' }),
      therapist(3, 'Ceri', { 'falls-review': 'green' }),
    ];
    const { shortlist, excluded } = suggestAllocation(request, team);
    expect(shortlist.map((s) => s.name)).toEqual(['Bethan', 'Aled']);
    expect(shortlist[1]!.supervision).toEqual([{ task: 'home-adaptation', supervisorId: 2, supervisorName: 'Bethan' }]);
    expect(shortlist[1]!.reasons).toContain('home-adaptation: amber, supervised by Bethan');
    expect(excluded).toEqual([{ therapistId: 3, name: 'Ceri', reasons: ['home-adaptation: no competency'], blockers: [{ kind: 'no_competency', task: 'home-adaptation' }] }]);
    expect(shortlist[1]!.tasks).toEqual([
      { task: 'home-adaptation', complexity: 'amber', level: 'amber', supervisorId: 2, supervisorName: 'Bethan' },
      { task: 'falls-review', complexity: 'green', level: 'green', supervisorId: null, supervisorName: null },
    ]);
    expect(shortlist.map((s) => s.handOvers)).toEqual([0, 1]);
  });

  it('red work needs a red-capable therapist, and amber needs a supervisor who is not themselves', () => {
    const red = { ...request, tasks: [{ code: 'vocational-rehab', complexity: 'red' as const }] };
    const team = [
      therapist(1, 'Aled', { 'vocational-rehab': 'green' }),
      therapist(2, 'Bethan', { 'vocational-rehab': 'red' }),
    ];
    const result = suggestAllocation(red, team);
    expect(result.shortlist.map((s) => s.name)).toEqual(['Bethan']);
    expect(result.excluded[0]!.reasons).toEqual(['vocational-rehab: green competency is not enough for red work']);
    const alone = suggestAllocation(request, [therapist(1, 'Aled', { 'home-adaptation': 'amber', 'falls-review': 'green' })]);
    expect(alone.shortlist).toEqual([]);
    expect(alone.excluded[0]!.reasons).toEqual(['home-adaptation: amber and no supervisor with the competency']);
  });

  it('prefers continuity, then area, then hours left; leaves out those without capacity', () => {
    const both = { 'home-adaptation': 'green', 'falls-review': 'green' } as const;
    const team = [
      therapist(1, 'Aled', both, { caseloadHours: 10 }),
      therapist(2, 'Bethan', both, { areas: ['W06000015'] }),
      therapist(3, 'Ceri', both),
      therapist(4, 'Dafydd', both, { caseloadHours: 29 }),
    ];
    const result = suggestAllocation({ ...request, previousTherapistIds: [3] }, team);
    expect(result.shortlist.map((s) => s.name)).toEqual(['Ceri', 'Bethan', 'Aled']);
    expect(result.shortlist[0]!.reasons).toContain('continuity: has worked with this person before');
    expect(result.excluded).toEqual([{ therapistId: 4, name: 'Dafydd', reasons: ['capacity: 1 hours left, 2 needed'], blockers: [{ kind: 'capacity', hoursLeft: 1, hoursNeeded: 2 }] }]);
    // Someone new after Ceri is a hand-over; Ceri is none.
    expect(result.shortlist.map((s) => [s.name, s.handOvers, s.continuity, s.coversArea])).toEqual([['Ceri', 0, true, false], ['Bethan', 1, false, true], ['Aled', 1, false, false]]);
  });

  it('uses only the named supervisor for amber work, and leaves out one whose named supervisor cannot supervise it', () => {
    const team = [
      therapist(1, 'Aled', { 'home-adaptation': 'amber', 'falls-review': 'green' }, { supervisors: { 'home-adaptation': 3 } }),
      therapist(2, 'Bethan', { 'home-adaptation': 'green', 'falls-review': 'green' }, { caseloadHours: 30 }),
      therapist(3, 'Ceri', { 'home-adaptation': 'red' }, { caseloadHours: 30 }),
      therapist(4, 'Dafydd', { 'home-adaptation': 'amber', 'falls-review': 'green' }, { supervisors: { 'home-adaptation': 5 } }),
      therapist(5, 'Efa', { 'home-adaptation': 'amber' }, { caseloadHours: 30 }),
    ];
    const result = suggestAllocation(request, team);
    expect(result.shortlist.map((s) => [s.name, s.supervision])).toEqual([['Aled', [{ task: 'home-adaptation', supervisorId: 3, supervisorName: 'Ceri' }]]]);
    expect(result.excluded.find((e) => e.name === 'Dafydd')!.blockers).toEqual([{ kind: 'no_supervisor', task: 'home-adaptation' }]);
  });

  it('never proposes anyone without the competency; amber only with a qualified supervisor (property)', () => {
    const level = fc.constantFrom<CompetencyLevel | undefined>('green', 'amber', 'red', undefined);
    const codes = ['a', 'b', 'c'];
    const member = fc.record({
      levels: fc.tuple(level, level, level),
      capacityHours: fc.integer({ min: 0, max: 37 }),
      caseloadHours: fc.integer({ min: 0, max: 37 }),
      /** A named supervisor per task (an index into the team), or none. */
      named: fc.tuple(fc.option(fc.nat(11)), fc.option(fc.nat(11)), fc.option(fc.nat(11))),
    });
    fc.assert(
      fc.property(
        fc.array(member, { minLength: 1, maxLength: 12 }),
        fc.subarray(codes, { minLength: 1 }),
        fc.array(fc.constantFrom<'green' | 'amber' | 'red'>('green', 'amber', 'red'), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 10 }),
        (members, taskCodes, complexities, hoursNeeded) => {
          const team: Therapist[] = members.map((m, i) => {
            const competencies: Record<string, CompetencyLevel> = {};
            m.levels.forEach((l, j) => {
              if (l) competencies[codes[j]!] = l;
            });
            const supervisors: Record<string, number> = {};
            m.named.forEach((n, j) => {
              if (n !== null) supervisors[codes[j]!] = (n % members.length) + 1;
            });
            return therapist(i + 1, `T${i + 1}`, competencies, { capacityHours: m.capacityHours, caseloadHours: m.caseloadHours, supervisors });
          });
          const tasks = taskCodes.map((code) => ({ code, complexity: complexities[codes.indexOf(code)]! }));
          const { shortlist } = suggestAllocation({ tasks, hoursNeeded, area: null, previousTherapistIds: [] }, team, 100);
          return shortlist.every((s) => {
            const t = team.find((x) => x.id === s.therapistId)!;
            if (t.capacityHours - t.caseloadHours < hoursNeeded) return false;
            return tasks.every((task) => {
              const own = t.competencies[task.code];
              if (task.complexity === 'red') return own === 'red';
              if (own === 'green' || own === 'red') return true;
              if (own !== 'amber') return false;
              const sup = s.supervision.find((x) => x.task === task.code);
              if (!sup || sup.supervisorId === t.id) return false;
              // A named supervisor is the only one that counts.
              const named = t.supervisors?.[task.code];
              if (named !== undefined && sup.supervisorId !== named) return false;
              const supLevel = team.find((x) => x.id === sup.supervisorId)!.competencies[task.code];
              return supLevel === 'green' || supLevel === 'red';
            });
          });
        },
      ),
    );
  });
});
