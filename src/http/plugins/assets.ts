import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { appAssetsDir, nhsukFrontendDist } from '../views.ts';

const nhsuk = join(nhsukFrontendDist, 'nhsuk');

/**
 * Static assets served locally (no CDN): the NHS design system's CSS, JavaScript and images
 * from the installed nhsuk-frontend package, and Roots' own under /assets.
 */
export const assets = fp(
  async (app: FastifyInstance) => {
    const cache = { maxAge: '1d', immutable: false } as const;
    await app.register(fastifyStatic, { root: join(nhsuk, 'assets'), prefix: '/assets/', decorateReply: false, ...cache, index: false });
    // The NHS design system's stylesheet loads the Frutiger web font from assets.nhs.uk. Roots
    // serves nothing from elsewhere (and the font is licensed to NHS services only), so the
    // @font-face rules are removed and the design system's Arial fallback is used.
    const stylesheet = readFileSync(join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8').replace(/@font-face\{[^}]*\}/g, '');
    app.get('/assets/nhsuk-frontend.min.css', { config: { access: 'public' } }, (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(stylesheet),
    );
    app.get('/assets/nhsuk-frontend.min.js', { config: { access: 'public' } }, (_request, reply) => reply.sendFileFrom(nhsuk, 'nhsuk-frontend.min.js'));
    for (const file of ['app.css', 'app.js']) {
      app.get(`/assets/${file}`, { config: { access: 'public' } }, (_request, reply) => reply.sendFileFrom(appAssetsDir, file));
    }
    await app.register(fastifyStatic, { root: nhsuk, serve: false, ...cache });
    app.decorateReply('sendFileFrom', function (this: import('fastify').FastifyReply, root: string, file: string) {
      return this.sendFile(file, root);
    });
  },
  { name: 'assets' },
);

declare module 'fastify' {
  interface FastifyReply {
    sendFileFrom(root: string, file: string): FastifyReply;
  }
}
