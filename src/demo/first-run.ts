import type { Actor } from '../access/actor.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.ts';
import { seedEvidence } from '../economics/evidence.service.ts';
import { importReferralRows } from '../imports/referral-import.service.ts';
import type { Logger } from '../logging/logger.ts';
import { importReferencePack } from '../reference/reference.import.ts';
import type { Store } from '../store/database.ts';
import { loadAreaFrame } from '../synth/area-frame.repository.ts';
import { resolveSynthOptions, type AreaScope } from '../synth/options.ts';
import { synthesise } from '../synth/synthesise.ts';
import { addDemoAllocation } from './allocation-demo.ts';
import { addDemoTriageReferrals } from './triage-demo.ts';
import { addDemoCaseload } from './caseload-demo.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, demoSmallProviderCode, type DemoSignIn } from './demo-organisation.ts';

export interface FirstRunReport {
  referenceImported: boolean;
  demoCreated: boolean;
  /** Synthetic referrals written for the demo service on this start (0 when already there). */
  demoReferrals: number;
  /** Why there is no demo activity, when there is none. */
  demoNote: string | null;
  signIn: DemoSignIn | null;
  signInFile: string;
}

/**
 * The demo service covers NHS Greater Manchester ICB: ten local authorities (enough for a funnel
 * plot across areas), and Wigan's postcodes (WN) are in the sample reference pack, so some demo
 * people have real postcodes as well as areas. A pack without it falls back to all of England.
 */
export const demoIcbCode = 'E54000057';

/** The documented system actor of a first start (demo data): `system:first-run` in the audit trail. */
export const FIRST_RUN_ACTOR: Actor = { kind: 'system', name: 'first-run' };

/** Where the demo sign-in details are kept between starts (beside the embedded data folder). */
export function signInFile(config: Config): string {
  return join(dirname(config.dataDir), 'demo-sign-in.json');
}

/**
 * Everything a first start needs, each step skipped when already done, so later starts are fast:
 * reference data (when a reference pack is configured and none is loaded yet), the demo
 * organisation and service, and a year of synthetic activity ending today.
 */
export async function prepareFirstRun(store: Store, config: Config, logger: Logger, today = new Date().toISOString().slice(0, 10)): Promise<FirstRunReport> {
  const report: FirstRunReport = {
    referenceImported: false,
    demoCreated: false,
    demoReferrals: 0,
    demoNote: null,
    signIn: null,
    signInFile: signInFile(config),
  };
  const referenceLoaded = async () => (await store.db.selectFrom('ref_dataset').select('name').limit(1).execute()).length > 0;
  if (config.referenceDir && !(await referenceLoaded())) {
    logger.info({ dir: config.referenceDir }, 'importing reference data (first run)');
    const summary = await importReferencePack(store, config.referenceDir);
    report.referenceImported = true;
    logger.info({ datasets: summary.datasets.length, seconds: summary.seconds }, 'reference data imported');
  }
  // The evidence register's built-in packs, when it is empty: the report's figures and the open
  // figures always, the optional non-commercial pack only with the demo.
  const registerEmpty = (await store.db.selectFrom('evidence_figure').select('id').limit(1).execute()).length === 0;
  if (registerEmpty) {
    const seeded = await seedEvidence(store.db, FIRST_RUN_ACTOR, config.demo.enabled ? ['report', 'open', 'non_commercial'] : ['report', 'open']);
    logger.info({ figures: seeded.created }, 'evidence register seeded');
  }
  if (!config.demo.enabled) return report;

  const hasDemoArea = (await store.db.selectFrom('ref_area').select('area_code').where('icb_code', '=', demoIcbCode).limit(1).execute()).length > 0;
  const signIn = await createDemoOrganisation(store.db, hasDemoArea ? demoIcbCode : null);
  if (signIn) {
    report.demoCreated = true;
    mkdirSync(dirname(report.signInFile), { recursive: true });
    writeFileSync(report.signInFile, `${JSON.stringify(signIn, null, 2)}\n`, { mode: 0o600 });
    logger.info('demo organisation created');
  }
  report.signIn = readSignIn(report.signInFile);

  // The demo trust's service gets the configured number of people; the small provider's (same
  // service code, another organisation) a tenth of them, so a first start stays fast.
  const demoServices = [
    { organisation: demoOrganisationCode, people: config.demo.people, seed: config.demo.seed },
    { organisation: demoSmallProviderCode, people: Math.floor(config.demo.people / 10), seed: config.demo.seed + 1 },
  ];
  for (const demo of demoServices) {
    const service = await store.db
      .selectFrom('service')
      .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
      .select(['service.id', 'service.icb_code', 'service.organisation_id as organisationId'])
      .where('organisation.code', '=', demo.organisation)
      .where('service.code', '=', demoServiceCode)
      .executeTakeFirst();
    if (!service) continue;
    // A few referrals awaiting triage, so the triage queue has something on the first run.
    report.demoReferrals += await addDemoTriageReferrals(store, { id: service.id, organisationId: service.organisationId }, today);
    // The demo trust's competencies, capacity and a few people waiting to be allocated.
    if (demo.organisation === demoOrganisationCode) report.demoReferrals += await addDemoAllocation(store.db, { id: service.id, organisationId: service.organisationId }, today);
    // A few people allocated to the demo therapist, with appointments booked, so the caseload page has something.
    report.demoReferrals += await addDemoCaseload(store, { id: service.id, organisationId: service.organisationId }, FIRST_RUN_ACTOR, new Date(`${today}T08:00:00Z`));
    const hasActivity =
      (
        await store.db
          .selectFrom('referral')
          .select('id')
          .where('service_id', '=', service.id)
          .where('source_record_id', 'not like', 'DEMO-TRIAGE-%')
          .where('source_record_id', 'not like', 'DEMO-ALLOC-%')
          .where('source_record_id', 'not like', 'DEMO-CASELOAD-%')
          .limit(1)
          .execute()
      ).length > 0;
    if (hasActivity || demo.people === 0) continue;
    if (!(await referenceLoaded())) {
      report.demoNote = 'No reference data is loaded, so there is no synthetic demo activity: set ROOTS_REFERENCE_DIR to a reference pack and start again.';
      logger.warn(report.demoNote);
      return report;
    }
    const area: AreaScope = service.icb_code ? { kind: 'icb', code: service.icb_code } : { kind: 'england' };
    const options = resolveSynthOptions({
      people: demo.people,
      seed: demo.seed,
      area,
      yearEnd: today,
      serviceCode: `${demo.organisation}/${demoServiceCode}`,
    });
    logger.info({ people: options.people, area: service.icb_code ?? 'england', organisation: demo.organisation }, 'generating a synthetic year of demo activity');
    const frame = await loadAreaFrame(store.db, options.area);
    const summary = await importReferralRows(store, synthesise(options, frame), {
      actor: FIRST_RUN_ACTOR,
      service: options.serviceCode ?? undefined,
      today,
      kind: 'synthetic',
      sourceName: `demo: roots synth --seed ${options.seed}`,
    });
    report.demoReferrals += summary.inserted;
    logger.info({ referrals: summary.inserted, organisation: demo.organisation }, 'demo activity created');
  }
  return report;
}

function readSignIn(path: string): DemoSignIn | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DemoSignIn;
  } catch {
    return null;
  }
}
