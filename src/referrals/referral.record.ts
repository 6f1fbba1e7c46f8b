import type * as codes from '../domain/codes.ts';

/**
 * One referral as the write path takes it: typed, validated, the same whichever way it came in
 * (a CSV row, a FHIR ServiceRequest, the API, the synthetic generator, later the web forms).
 * `writeReferrals` (referral.write.ts) stores a batch of these.
 */
export interface ReferralRecord {
  sourceRecordId: string;
  person: {
    sourcePersonId: string;
    nhsNumber: string | null;
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    sex: codes.StatedGender | null;
    ethnicity: codes.EthnicCategory | null;
    /**
     * Normalised postcode. A postcode that is not well formed is not stored (null, with
     * `postcodeGiven` true) and the person is counted as "invalid postcode", never dropped.
     */
    postcode: string | null;
    postcodeGiven: boolean;
    /**
     * Small area (LSOA 2011, data zone or SOA) as the source system recorded it. When given it
     * is used as the area of residence; otherwise the area comes from the postcode.
     */
    areaCode: string | null;
    noFixedAddress: boolean;
    disability: boolean | null;
    inclusionGroups: codes.InclusionGroup[];
    language: string | null;
    interpreterNeeded: boolean | null;
    /**
     * Lives alone (a risk flag at triage). Optional: left out (or null), what is already known
     * of the person is kept; records without it hash as they did before it existed.
     */
    livesAlone?: boolean | null;
  };
  referral: {
    receivedOn: string;
    source: codes.ReferralSource;
    urgentRisk: boolean;
  };
  triage: {
    triagedOn: string;
    pathway: codes.Pathway;
    priority: codes.Priority | null;
    outcome: codes.TriageOutcome;
  } | null;
  waiting: {
    clockStartedOn: string;
    pauses: { from: string; to: string }[];
    firstContactOn: string | null;
    contactsAttended: number;
    contactsDidNotAttend: number;
    contactsCancelled: number;
  } | null;
  discharge: {
    dischargedOn: string;
    reason: codes.DischargeReason;
    outcomes: codes.DischargeOutcome[];
  } | null;
  /**
   * Outcome measure scores with the timepoint and day each was recorded. From the CSV: the
   * baseline is dated at first contact (or triage when there has been no contact yet) and the
   * final score at discharge.
   */
  outcome: {
    instrument: codes.OutcomeInstrument;
    responses: { timepoint: codes.OutcomeTimepoint; recordedOn: string; score: number }[];
  } | null;
}

