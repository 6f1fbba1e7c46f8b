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
    for (const file of ['nhsuk-frontend.min.css', 'nhsuk-frontend.min.js']) {
      app.get(`/assets/${file}`, (_request, reply) => reply.sendFileFrom(nhsuk, file));
    }
    for (const file of ['app.css', 'app.js']) {
      app.get(`/assets/${file}`, (_request, reply) => reply.sendFileFrom(appAssetsDir, file));
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
