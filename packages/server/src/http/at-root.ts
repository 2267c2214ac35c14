import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/**
 * Marks a plugin so Fastify does not encapsulate it: its hooks and
 * decorators land on the instance it is registered on. This is the mechanism
 * fastify-plugin uses, without adding it as a dependency for one flag.
 */
export function atRoot(plugin: (app: FastifyInstance) => Promise<void>): FastifyPluginAsync {
  const wrapped: FastifyPluginAsync = async (app) => plugin(app);
  Object.assign(wrapped, { [Symbol.for('skip-override')]: true });
  return wrapped;
}
