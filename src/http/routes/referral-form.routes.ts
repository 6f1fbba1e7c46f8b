import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { requireServiceAccess, resolveServiceFor } from '../../access/service-access.ts';
import { ethnicCategory, referralStatus } from '../../domain/codes.ts';
import { fill, formatDate } from '../../equity/findings/format.ts';
import type { ScopedService } from '../../organisations/commissioning.repository.ts';
import { parseServiceReference } from '../../organisations/service.repository.ts';
import { readProfessionalReferral, submitProfessionalReferral } from '../../referrals/professional-referral.service.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import { formSexes, parseProfessionalReferral, professionalReferralFields, professionalReferralSources, type ReferralFormProblem } from '../../web/forms/professional-referral.form.ts';
import type { AppDependencies } from '../app.ts';

const serviceParam = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}~)?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });
const languageQuery = z.object({ lang: z.enum(['en', 'cy']).optional() });

type Values = Record<string, string>;

/**
 * The staff form for a professional referral (issue 8, item 2): `/services/:service/referrals/new`
 * for a therapist, team lead or administrator of the service's organisation (the service function
 * checks `read_identifiable` first: anyone else is refused, and the refusal audited). One page, NHS
 * error summary, CSRF (sessions plugin), English and Welsh; the referral goes through the same
 * service as the FHIR API (`submitProfessionalReferral` -> `writeReferrals`), idempotent on the
 * form's submission id (a double submit or a refresh makes one referral). The confirmation page
 * shows the new referral.
 */
export const referralFormRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  /** Access first: the service named in the address, for staff who may read its identifiable records. */
  async function serviceFor(actor: Actor, reference: string): Promise<ScopedService> {
    const named = parseServiceReference(reference);
    const known = await resolveServiceFor(store.db, actor, { serviceCode: named.serviceCode!, organisationCode: named.organisationCode }, { on: clock(), subjectKind: 'referral' });
    return requireServiceAccess(store.db, actor, known.serviceId, 'read_identifiable', { on: clock(), subjectKind: 'referral' });
  }
  const address = (service: ScopedService) => `${service.organisationCode}~${service.serviceCode}`;
  const withLanguage = (path: string, language: Language) => (language === 'cy' ? `${path}?lang=cy` : path);

  function renderForm(request: FastifyRequest, reply: FastifyReply, service: ScopedService, values: Values, errors: ReferralFormProblem[]) {
    const language = request.language;
    const t = contentFor(language);
    const f = t.referralForm;
    const shown = errors.map((error) => ({ field: error.field, text: f.errors[error.key] }));
    const english = language === 'en' ? undefined : { lang: 'en' };
    return reply.status(errors.length > 0 ? 400 : 200).page('pages/referrals/new.njk', {
      pageTitle: errors.length > 0 ? `${t.signIn.errorPrefix}: ${f.title}` : f.title,
      lead: fill(f.lead, { service: service.serviceName }),
      action: withLanguage(`/services/${address(service)}/referrals/new`, language),
      values,
      errors: shown,
      sexes: formSexes.map((value) => ({ value, text: f.sexes[value], checked: values.sex === value })),
      sources: [{ value: '', text: f.chooseSource }, ...professionalReferralSources.map((value) => ({ value, text: f.sources[value], selected: values.source === value }))],
      // The NHS Data Dictionary's category names are English: marked so on Welsh pages.
      ethnicities: [{ value: '', text: f.ethnicityNone }, ...ethnicCategory.values.map((value) => ({ value, text: ethnicCategory.labels[value], selected: values.ethnicity === value, ...(english ? { attributes: english } : {}) }))],
    });
  }

  app.get(
    '/services/:service/referrals/new',
    { config: { access: 'staff' }, schema: { params: z.object({ service: serviceParam }), querystring: languageQuery, hide: true } },
    async (request, reply) => {
      const service = await serviceFor(request.actor!, request.params.service);
      const today = clock();
      return renderForm(request, reply, service, { submission: randomUUID(), 'received-day': String(Number(today.slice(8, 10))), 'received-month': String(Number(today.slice(5, 7))), 'received-year': today.slice(0, 4) }, []);
    },
  );

  app.post(
    '/services/:service/referrals/new',
    { config: { access: 'staff' }, schema: { params: z.object({ service: serviceParam }), querystring: languageQuery, body: professionalReferralFields, hide: true } },
    async (request, reply) => {
      const actor = request.actor!;
      const service = await serviceFor(actor, request.params.service);
      const { _csrf, ...values } = request.body;
      void _csrf;
      const form = parseProfessionalReferral(request.body, clock());
      if (!form.ok) return renderForm(request, reply, service, values, form.errors);
      const result = await submitProfessionalReferral(
        store.db,
        actor,
        service.serviceId,
        {
          record: form.record,
          referrer: {
            channel: 'staff_form',
            apiTokenId: null,
            identifierSystem: 'urn:roots:staff-form',
            identifierValue: form.submission,
            organisationCode: null,
            organisationName: form.referrer.organisation,
            referrerName: form.referrer.name,
            referrerContact: form.referrer.contact,
            reasonSystem: null,
            reasonCode: null,
            reasonText: form.reason,
          },
        },
        { on: clock() },
      );
      return reply.redirect(withLanguage(`/services/${address(service)}/referrals/${result.referral.referralId}`, request.language), 303);
    },
  );

  app.get(
    '/services/:service/referrals/:id',
    { config: { access: 'staff' }, schema: { params: z.object({ service: serviceParam, id: z.coerce.number().int().positive().max(2_147_483_647) }), querystring: languageQuery, hide: true } },
    async (request, reply) => {
      const actor = request.actor!;
      const service = await serviceFor(actor, request.params.service);
      const referral = await readProfessionalReferral(store.db, actor, service.serviceId, request.params.id, { on: clock() });
      const language = request.language;
      const f = contentFor(language).referralForm;
      const c = f.confirmation;
      const notGiven = { text: c.notGiven };
      const nhs = referral.nhsNumber ? `${referral.nhsNumber.slice(0, 3)} ${referral.nhsNumber.slice(3, 6)} ${referral.nhsNumber.slice(6)}` : null;
      const english = (text: string) => (language === 'en' ? { text } : { html: `<span lang="en">${text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)}</span>` });
      const source = referral.source;
      return reply.page('pages/referrals/show.njk', {
        pageTitle: c.title,
        reference: String(referral.referralId),
        newReferral: withLanguage(`/services/${address(service)}/referrals/new`, language),
        rows: [
          { key: { text: c.person }, value: { text: [referral.givenName, referral.familyName].filter(Boolean).join(' ') || c.notGiven } },
          { key: { text: c.nhsNumber }, value: nhs ? { text: nhs } : notGiven },
          { key: { text: c.dob }, value: referral.dateOfBirth ? { text: formatDate(String(referral.dateOfBirth), language) } : notGiven },
          { key: { text: c.received }, value: { text: formatDate(String(referral.receivedOn), language) } },
          { key: { text: c.source }, value: { text: (f.sources as Record<string, string>)[source] ?? source } },
          { key: { text: c.reason }, value: referral.reasonText ? { text: referral.reasonText } : notGiven },
          { key: { text: c.referrer }, value: { text: [referral.referrerName, referral.organisationName, referral.referrerContact].filter(Boolean).join(', ') } },
          { key: { text: c.status }, value: english(referralStatus.labels[referral.status]) },
        ],
      });
    },
  );
};
