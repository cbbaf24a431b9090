// The fuzz's target: a real stack (web + engine on a scratch database) with an owner signed in.
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { createUser, signIn } from '../../tests/helpers/users';
import { prepareFixture, runFuzz, type FuzzOptions, type FuzzReport, type FuzzTarget } from './fuzz';

export async function fuzzTarget(stack: TestStack): Promise<FuzzTarget> {
  const owner = await createUser(stack.prisma, { role: 'owner', projectId: stack.projectId });
  const cookie = await signIn(stack.url, owner.email, owner.password);
  const { slug } = await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId }, select: { slug: true } });
  return { url: stack.url, prisma: stack.prisma, apiKey: stack.apiKey, projectId: stack.projectId, ws: stack.ws, cookie, project: slug };
}

/** Starts a stack, fuzzes it, stops it. */
export async function fuzzFreshStack(opts: FuzzOptions = {}): Promise<FuzzReport> {
  const stack = await startTestStack();
  try {
    const target = await fuzzTarget(stack);
    const { fixture } = await prepareFixture(target);
    return await runFuzz(target, fixture, opts);
  } finally {
    await stack.stop();
  }
}
